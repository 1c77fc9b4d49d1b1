/**
 * The words and names the generator writes with. Ordered by how often they should appear: the word generator picks
 * from the front far more often than from the back (a Zipf-like choice), so function words and the platform's everyday
 * subjects dominate, as they do in real write-ups, and the tail is rare.
 */
export const WORDS = [
  'the', 'of', 'and', 'to', 'a', 'in', 'for', 'on', 'with', 'we', 'our', 'was', 'by', 'at', 'from', 'as', 'this', 'that',
  'election', 'polling', 'staff', 'voters', 'council', 'count', 'team', 'candidates', 'security', 'returning', 'officer',
  'information', 'social', 'media', 'station', 'stations', 'ballot', 'papers', 'postal', 'votes', 'public', 'local',
  'were', 'before', 'after', 'during', 'each', 'all', 'new', 'every', 'which', 'their', 'they', 'had', 'have', 'not',
  'training', 'register', 'registration', 'accounts', 'claims', 'false', 'reports', 'incident', 'response', 'partners',
  'police', 'website', 'messages', 'guidance', 'process', 'checks', 'risk', 'day', 'week', 'night', 'results', 'verification',
  'phishing', 'emails', 'passwords', 'devices', 'laptops', 'network', 'access', 'suppliers', 'contract', 'printers',
  'disinformation', 'narratives', 'posts', 'videos', 'rumours', 'press', 'office', 'communications', 'statement', 'briefing',
  'safety', 'threats', 'abuse', 'harassment', 'nomination', 'agents', 'observers', 'presiding', 'clerks', 'venue',
  'boxes', 'seals', 'tamper', 'evidence', 'chain', 'custody', 'courier', 'transport', 'storage', 'warehouse', 'keys',
  'exercise', 'tabletop', 'scenario', 'plan', 'playbook', 'escalation', 'contacts', 'rota', 'helpline', 'queue',
  'identity', 'photo', 'documents', 'accessible', 'translation', 'languages', 'leaflets', 'poll', 'cards', 'notices',
  'monitoring', 'alerts', 'dashboard', 'logs', 'firewall', 'backup', 'recovery', 'outage', 'denial', 'service',
  'deepfake', 'audio', 'impersonation', 'spoofed', 'domain', 'lookalike', 'takedown', 'platform', 'trust', 'moderation',
  'cyber', 'centre', 'national', 'advice', 'assessment', 'vulnerability', 'patch', 'update', 'software', 'tally',
  'recount', 'margin', 'scrutiny', 'transparency', 'confidence', 'turnout', 'ward', 'constituency', 'borough', 'county',
  'volunteers', 'induction', 'refresher', 'checklist', 'template', 'handbook', 'lessons', 'learned', 'review', 'debrief',
  'quickly', 'clearly', 'together', 'early', 'again', 'locally', 'publicly', 'jointly', 'securely', 'calmly',
  'misleading', 'coordinated', 'inauthentic', 'automated', 'bots', 'amplification', 'hashtags', 'influencers', 'groups',
  'mobile', 'signal', 'radio', 'generator', 'power', 'cut', 'flood', 'weather', 'closure', 'contingency', 'fallback',
  'canvass', 'electoral', 'roll', 'data', 'protection', 'breach', 'notification', 'regulator', 'commission', 'legal',
  'foreign', 'interference', 'state', 'actors', 'hostile', 'campaign', 'attribution', 'intelligence', 'sharing', 'indicators',
  'ransomware', 'malware', 'encryption', 'multifactor', 'authentication', 'tokens', 'insider', 'vetting', 'badges',
  'cctv', 'lighting', 'stewards', 'marshals', 'perimeter', 'entrance', 'exit', 'queueing', 'crowd', 'protest',
  'adjudication', 'doubtful', 'spoilt', 'rejected', 'envelopes', 'statements', 'signatures', 'dates', 'identifiers',
  'accessibility', 'braille', 'tactile', 'device', 'assistance', 'companion', 'wheelchair', 'ramp', 'hearing', 'loop',
  'journalists', 'livestream', 'broadcast', 'factcheck', 'correction', 'rebuttal', 'prebunking', 'literacy', 'schools',
  'supply', 'vendor', 'procurement', 'audit', 'assurance', 'certification', 'penetration', 'testing', 'red', 'purple',
  'gerrymander', 'psephology', 'sortition', 'stenographer', 'semaphore', 'cartographer', 'palimpsest', 'quorum',
];

/** Searched in the benchmark: a subject most practices mention, and a word from the far tail of the vocabulary. */
export const COMMON_TERM = 'polling';
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
