/**
 * The words the generator writes with. A sentence mixes function words, the platform's everyday subjects and the words
 * of one topic; a practice's text is mostly of its own topic (and a second one), so a topic's words are found in a
 * fraction of the practices, as in real write-ups, while everyday words are found in nearly all. Within each list the
 * front is picked far more often than the back (a Zipf-like choice).
 */
export const FUNCTION_WORDS = ['the', 'of', 'and', 'to', 'a', 'in', 'for', 'on', 'with', 'we', 'our', 'was', 'by', 'at', 'from', 'as', 'this', 'that', 'were', 'before', 'after', 'during', 'each', 'all', 'every', 'which', 'their', 'they', 'had', 'have', 'not'];
export const GENERAL_WORDS = [
  'election', 'polling', 'staff', 'voters', 'council', 'team', 'returning', 'officer', 'information', 'public', 'local',
  'new', 'process', 'checks', 'risk', 'day', 'week', 'partners', 'guidance', 'plan', 'review', 'lessons', 'learned',
  'quickly', 'clearly', 'together', 'early', 'again', 'locally', 'jointly', 'national', 'advice', 'confidence', 'ward',
  'constituency', 'borough', 'county', 'checklist', 'template', 'debrief',
];
/** Sixteen topics' words; the first of each list is its most frequent. */
export const TOPIC_WORDS = [
  ['phishing', 'emails', 'passwords', 'multifactor', 'authentication', 'spoofed', 'attachments', 'links', 'inbox', 'reporting', 'simulation', 'clicks'],
  ['disinformation', 'narratives', 'rumours', 'misleading', 'prebunking', 'factcheck', 'correction', 'rebuttal', 'literacy', 'claims', 'false', 'viral'],
  ['deepfake', 'audio', 'video', 'impersonation', 'synthetic', 'manipulated', 'provenance', 'watermark', 'clip', 'voice', 'detection', 'forensic'],
  ['count', 'verification', 'tally', 'recount', 'adjudication', 'doubtful', 'spoilt', 'rejected', 'margin', 'scrutiny', 'agents', 'results'],
  ['postal', 'votes', 'envelopes', 'statements', 'signatures', 'identifiers', 'dates', 'opening', 'sessions', 'proxy', 'applications', 'returns'],
  ['station', 'stations', 'presiding', 'clerks', 'venue', 'queue', 'lighting', 'stewards', 'entrance', 'notices', 'booths', 'opening'],
  ['ransomware', 'malware', 'backup', 'recovery', 'outage', 'encryption', 'patch', 'vulnerability', 'firewall', 'logs', 'endpoint', 'restore'],
  ['candidates', 'safety', 'threats', 'abuse', 'harassment', 'nomination', 'police', 'liaison', 'home', 'addresses', 'canvassing', 'escort'],
  ['social', 'media', 'accounts', 'posts', 'bots', 'amplification', 'hashtags', 'influencers', 'inauthentic', 'coordinated', 'takedown', 'platform'],
  ['ballot', 'boxes', 'seals', 'tamper', 'custody', 'courier', 'transport', 'storage', 'warehouse', 'keys', 'printers', 'papers'],
  ['training', 'exercise', 'tabletop', 'scenario', 'induction', 'refresher', 'volunteers', 'handbook', 'playbook', 'rehearsal', 'facilitator', 'injects'],
  ['register', 'registration', 'canvass', 'electoral', 'roll', 'data', 'protection', 'breach', 'notification', 'regulator', 'records', 'retention'],
  ['website', 'domain', 'lookalike', 'denial', 'service', 'hosting', 'certificate', 'dns', 'defacement', 'monitoring', 'uptime', 'mirror'],
  ['foreign', 'interference', 'hostile', 'actors', 'attribution', 'intelligence', 'sharing', 'indicators', 'state', 'campaign', 'espionage', 'sanctions'],
  ['accessible', 'accessibility', 'braille', 'tactile', 'device', 'assistance', 'companion', 'wheelchair', 'translation', 'languages', 'easyread', 'hearing'],
  ['press', 'communications', 'statement', 'briefing', 'journalists', 'livestream', 'broadcast', 'spokesperson', 'lines', 'enquiries', 'embargo', 'interview'],
];
/** Written only into a few practices (one in 400, one word of these each), so a search for one finds few. */
export const RARE_WORDS = ['gerrymander', 'psephology', 'sortition', 'stenographer', 'semaphore', 'cartographer', 'palimpsest', 'quorum'];

/** Searched in the benchmark: a topic's leading word (about one practice in ten), and a rare word. */
export const COMMON_TERM = 'phishing';
export const RARE_TERM = 'palimpsest';

export const TITLE_VERBS = [
  'Protecting', 'Securing', 'Countering', 'Responding to', 'Preparing for', 'Spotting', 'Reducing', 'Rehearsing',
  'Training staff for', 'Planning', 'Monitoring', 'Auditing', 'Hardening', 'Explaining', 'Coordinating', 'Recovering from',
];
export const TITLE_OBJECTS = [
  'the count', 'postal votes', 'polling stations', 'candidate safety', 'false claims online', 'phishing of election staff',
  'ballot box custody', 'the electoral register', 'deepfake audio', 'lookalike domains', 'results night',
  'nomination day', 'a website outage', 'coordinated inauthentic accounts', 'supplier access', 'voter identification',
  'accessible voting', 'press enquiries', 'observer visits', 'ransomware on council systems', 'printer deliveries',
  'queue management', 'hostile foreign narratives', 'insider risk',
];
export const TITLE_CONTEXTS = [
  'in a county council', 'across a metropolitan borough', 'with neighbouring authorities', 'on polling day',
  'during a by-election', 'in the final fortnight', 'at a combined count', 'for a general election', 'on a small budget',
  'with the police', 'with volunteers', 'in rural wards', 'after a near miss', 'in two languages',
];

export const FIRST_NAMES = [
  'Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Arthur', 'Ivy', 'Leo', 'Freya', 'Oscar', 'Grace', 'Harry',
  'Aisha', 'Mohammed', 'Priya', 'Arjun', 'Siobhan', 'Callum', 'Niamh', 'Rhys', 'Ffion', 'Eilidh', 'Hamish', 'Chloe',
  'Daniel', 'Zainab', 'Tomasz', 'Anna', 'Lucas', 'Sofia', 'Jonas', 'Emma', 'Mateo', 'Ingrid', 'Liam', 'Olivia',
];
export const LAST_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Khan', 'Evans', 'Thomas',
  'Roberts', 'Walker', 'Wright', 'Robinson', 'Thompson', 'White', 'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris',
  'Campbell', 'Murphy', 'Kelly', 'Begum', 'Ali', 'Nowak', 'Martin', 'Novak', 'Jensen', 'Murray', 'Lewis', 'Clarke',
];

/** Places councils are named after (with the kinds of council below, enough for every council at full scale). */
export const PLACES = [
  'Ashford', 'Barnsley', 'Bedford', 'Blackpool', 'Bolton', 'Bradford', 'Brighton', 'Bristol', 'Cambridge', 'Cardiff',
  'Carlisle', 'Chelmsford', 'Cheltenham', 'Chester', 'Colchester', 'Coventry', 'Crawley', 'Derby', 'Doncaster', 'Dudley',
  'Dundee', 'Durham', 'Exeter', 'Gateshead', 'Glasgow', 'Gloucester', 'Guildford', 'Halifax', 'Harrogate', 'Hereford',
  'Huddersfield', 'Inverness', 'Ipswich', 'Kendal', 'Lancaster', 'Leeds', 'Leicester', 'Lincoln', 'Luton', 'Maidstone',
  'Middlesbrough', 'Milton Keynes', 'Newport', 'Northampton', 'Norwich', 'Nottingham', 'Oldham', 'Oxford', 'Perth',
  'Peterborough', 'Plymouth', 'Portsmouth', 'Preston', 'Reading', 'Rochdale', 'Salford', 'Sheffield', 'Shrewsbury',
  'Slough', 'Southampton', 'Stirling', 'Stockport', 'Sunderland', 'Swansea', 'Swindon', 'Taunton', 'Telford', 'Truro',
  'Wakefield', 'Walsall', 'Warrington', 'Watford', 'Wigan', 'Winchester', 'Wolverhampton', 'Worcester', 'Wrexham', 'York',
  'Armagh', 'Belfast', 'Derry', 'Lisburn', 'Newry', 'Aberdeen', 'Falkirk', 'Bangor', 'Conwy', 'Powys',
];
export const COUNCIL_KINDS = ['City Council', 'Borough Council', 'District Council', 'County Council'];
export const REGIONS = ['North East', 'North West', 'Yorkshire and the Humber', 'East Midlands', 'West Midlands', 'East of England', 'London', 'South East', 'South West', 'Wales', 'Scotland', 'Northern Ireland'];

export const CENTRAL_BODIES = [
  'Cabinet Office', 'Home Office', 'Department for Levelling Up', 'Foreign, Commonwealth and Development Office',
  'Department for Science, Innovation and Technology', 'Government Communication Service', 'National Protective Security Authority',
  'Scotland Office', 'Wales Office', 'Northern Ireland Office', 'Crown Commercial Service', 'Government Digital Service',
];
export const OTHER_BODIES = [
  'Electoral Commission', 'Association of Electoral Administrators', 'Local Government Association', 'Information Commissioner',
  'Electoral Management Board for Scotland', 'Electoral Office for Northern Ireland', 'Boundary Commission', 'Office for Statistics Regulation',
];

/** Overseas election authorities: country, name, domain. */
export const OVERSEAS = [
  ['FR', 'Commission nationale des comptes de campagne', 'cnccfp.fr'],
  ['DE', 'Bundeswahlleiterin', 'bundeswahlleiterin.de'],
  ['NL', 'Kiesraad', 'kiesraad.nl'],
  ['IE', 'An Coimisiún Toghcháin', 'electoralcommission.ie'],
  ['EE', 'Riigi Valimisteenistus', 'valimised.ee'],
  ['SE', 'Valmyndigheten', 'val.se'],
  ['US', 'Election Assistance Commission', 'eac.gov'],
  ['CA', 'Elections Canada', 'elections.ca'],
  ['AU', 'Australian Electoral Commission', 'aec.gov.au'],
  ['NZ', 'Electoral Commission New Zealand', 'elections.nz'],
] as const;

/** Tags beside the curated ones of the first migration, about 40 in all. */
export const EXTRA_TAGS = [
  ['accessibility', 'Accessibility'], ['postal-voting', 'Postal voting'], ['observers', 'Observers'],
  ['media-relations', 'Media relations'], ['insider-threat', 'Insider threat'], ['supply-chain', 'Supply chain'],
  ['ransomware', 'Ransomware'], ['website-defacement', 'Website defacement'], ['online-harassment', 'Online harassment'],
  ['foreign-interference', 'Foreign interference'], ['voter-id', 'Voter ID'], ['ballot-custody', 'Ballot custody'],
  ['by-elections', 'By-elections'], ['volunteers', 'Volunteers'], ['translation', 'Translation'],
  ['business-continuity', 'Business continuity'], ['procurement', 'Procurement'], ['results-night', 'Results night'],
  ['lookalike-domains', 'Lookalike domains'], ['exercises', 'Exercises'], ['prebunking', 'Prebunking'],
  ['canvass', 'Annual canvass'],
] as const;
