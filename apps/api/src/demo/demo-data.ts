/**
 * Demo content for Practice Exchange.
 *
 * Everything in this file is invented for demonstration: the people, the
 * incidents and the figures are plausible but fictional. Organisation names
 * and e-mail domains look real so that the demo reads naturally; they are not
 * used to send anything.
 *
 * Invariants (checked when the demo data was written):
 * - every organisation has 1-2 e-mail domains, no domain is shared;
 * - every member's e-mail is in one of their organisation's domains;
 * - every practice author is a CONTRIBUTOR or ORG_ADMIN of the practice's organisation;
 * - comment, reply and adoption authors belong to an organisation that can read
 *   the practice (TLP_CLEAR/TLP_GREEN: anyone; TLP_AMBER: own organisation or
 *   audienceOrganisationSlugs; TLP_AMBER_STRICT: own organisation only);
 * - drafts have no comments and no adoptions; adoptions come from other
 *   organisations, at most one per organisation per practice.
 */

export type DemoOrganisationKind = 'UK_COUNCIL' | 'UK_CENTRAL_GOVERNMENT' | 'OVERSEAS_AUTHORITY' | 'OTHER_PUBLIC_BODY';
export type DemoRole = 'CONTRIBUTOR' | 'MODERATOR' | 'ORG_ADMIN' | 'PLATFORM_ADMIN';
export type DemoVisibility = 'TLP_CLEAR' | 'TLP_GREEN' | 'TLP_AMBER' | 'TLP_AMBER_STRICT';
export type DemoStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

export interface DemoOrganisation {
  slug: string;
  name: string;
  kind: DemoOrganisationKind;
  country: string /* ISO 3166-1 alpha-2 */;
  region: string | null;
  emailDomains: string[];
}
export interface DemoMember {
  email: string;
  name: string;
  organisationSlug: string;
  roles: DemoRole[];
}
export interface DemoReply {
  authorEmail: string;
  body: string;
}
export interface DemoComment {
  authorEmail: string;
  body: string;
  replies?: DemoReply[];
}
export interface DemoAdoption {
  memberEmail: string;
  note: string;
  outcome: string;
}
export interface DemoPractice {
  key: string; // short unique kebab-case key
  organisationSlug: string;
  authorEmail: string; // a member of organisationSlug with CONTRIBUTOR or ORG_ADMIN
  title: string; // <= 200 chars
  summary: string; // 1-3 sentences, <= 1000 chars
  problem: string; // markdown, a paragraph or two, <= 10000 chars
  approach: string; // markdown, may use bullet lists
  outcomes: string; // markdown, concrete, with numbers where plausible
  resources: { title: string; url: string }[]; // 0-3 https links
  tags: string[]; // 2-4 labels, mostly curated topic labels
  language: string;
  visibility: DemoVisibility;
  audienceOrganisationSlugs?: string[]; // only for TLP_AMBER: other organisations that may read it
  status: DemoStatus;
  publishedDaysAgo?: number; // for PUBLISHED/ARCHIVED: 1..400
  comments?: DemoComment[];
  adoptions?: DemoAdoption[];
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { slug: 'kent', name: 'Kent County Council', kind: 'UK_COUNCIL', country: 'GB', region: 'South East', emailDomains: ['kent.gov.uk'] },
  { slug: 'manchester', name: 'Manchester City Council', kind: 'UK_COUNCIL', country: 'GB', region: 'North West', emailDomains: ['manchester.gov.uk'] },
  { slug: 'leeds', name: 'Leeds City Council', kind: 'UK_COUNCIL', country: 'GB', region: 'Yorkshire and the Humber', emailDomains: ['leeds.gov.uk'] },
  { slug: 'cornwall', name: 'Cornwall Council', kind: 'UK_COUNCIL', country: 'GB', region: 'South West', emailDomains: ['cornwall.gov.uk'] },
  { slug: 'camden', name: 'London Borough of Camden', kind: 'UK_COUNCIL', country: 'GB', region: 'London', emailDomains: ['camden.gov.uk'] },
  { slug: 'norfolk', name: 'Norfolk County Council', kind: 'UK_COUNCIL', country: 'GB', region: 'East of England', emailDomains: ['norfolk.gov.uk'] },
  { slug: 'cardiff', name: 'Cardiff Council', kind: 'UK_COUNCIL', country: 'GB', region: 'Wales', emailDomains: ['cardiff.gov.uk', 'caerdydd.gov.uk'] },
  { slug: 'edinburgh', name: 'The City of Edinburgh Council', kind: 'UK_COUNCIL', country: 'GB', region: 'Scotland', emailDomains: ['edinburgh.gov.uk'] },
  {
    slug: 'cabinet-office-des',
    name: 'Defending Democracy Election Security Unit',
    kind: 'UK_CENTRAL_GOVERNMENT',
    country: 'GB',
    region: null,
    emailDomains: ['cabinetoffice.gov.uk'],
  },
  {
    slug: 'mhclg-elections',
    name: 'Ministry of Housing, Communities and Local Government – Elections Division',
    kind: 'UK_CENTRAL_GOVERNMENT',
    country: 'GB',
    region: null,
    emailDomains: ['communities.gov.uk'],
  },
  { slug: 'tallinn', name: 'Tallinn City Government', kind: 'OVERSEAS_AUTHORITY', country: 'EE', region: 'Harju County', emailDomains: ['tallinnlv.ee'] },
  { slug: 'vilnius', name: 'Vilnius City Municipality', kind: 'OVERSEAS_AUTHORITY', country: 'LT', region: 'Vilnius County', emailDomains: ['vilnius.lt'] },
  { slug: 'helsinki', name: 'City of Helsinki', kind: 'OVERSEAS_AUTHORITY', country: 'FI', region: 'Uusimaa', emailDomains: ['hel.fi'] },
  {
    slug: 'serocu-cyber',
    name: 'South East Regional Organised Crime Unit – Cyber Crime Unit',
    kind: 'OTHER_PUBLIC_BODY',
    country: 'GB',
    region: 'South East',
    emailDomains: ['serocu.police.uk'],
  },
];

export const DEMO_MEMBERS: DemoMember[] = [
  // Kent County Council
  { email: 'sarah.okafor@kent.gov.uk', name: 'Sarah Okafor', organisationSlug: 'kent', roles: ['CONTRIBUTOR'] },
  { email: 'james.whitfield@kent.gov.uk', name: 'James Whitfield', organisationSlug: 'kent', roles: ['CONTRIBUTOR'] },
  { email: 'priya.chauhan@kent.gov.uk', name: 'Priya Chauhan', organisationSlug: 'kent', roles: ['ORG_ADMIN'] },
  // Manchester City Council
  { email: 'tom.ashworth@manchester.gov.uk', name: 'Tom Ashworth', organisationSlug: 'manchester', roles: ['CONTRIBUTOR'] },
  { email: 'aisha.rahman@manchester.gov.uk', name: 'Aisha Rahman', organisationSlug: 'manchester', roles: ['CONTRIBUTOR'] },
  { email: 'gareth.holt@manchester.gov.uk', name: 'Gareth Holt', organisationSlug: 'manchester', roles: ['ORG_ADMIN'] },
  // Leeds City Council
  { email: 'hannah.brierley@leeds.gov.uk', name: 'Hannah Brierley', organisationSlug: 'leeds', roles: ['CONTRIBUTOR'] },
  { email: 'imran.qureshi@leeds.gov.uk', name: 'Imran Qureshi', organisationSlug: 'leeds', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // Cornwall Council
  { email: 'tamsin.penrose@cornwall.gov.uk', name: 'Tamsin Penrose', organisationSlug: 'cornwall', roles: ['CONTRIBUTOR'] },
  { email: 'martin.trevithick@cornwall.gov.uk', name: 'Martin Trevithick', organisationSlug: 'cornwall', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // London Borough of Camden
  { email: 'olivia.mensah@camden.gov.uk', name: 'Olivia Mensah', organisationSlug: 'camden', roles: ['CONTRIBUTOR'] },
  { email: 'daniel.fischer@camden.gov.uk', name: 'Daniel Fischer', organisationSlug: 'camden', roles: ['CONTRIBUTOR'] },
  { email: 'ruth.adeyemi@camden.gov.uk', name: 'Ruth Adeyemi', organisationSlug: 'camden', roles: ['ORG_ADMIN'] },
  // Norfolk County Council
  { email: 'claire.bunting@norfolk.gov.uk', name: 'Claire Bunting', organisationSlug: 'norfolk', roles: ['CONTRIBUTOR'] },
  { email: 'stephen.lowe@norfolk.gov.uk', name: 'Stephen Lowe', organisationSlug: 'norfolk', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // Cardiff Council
  { email: 'rhian.pritchard@cardiff.gov.uk', name: 'Rhian Pritchard', organisationSlug: 'cardiff', roles: ['CONTRIBUTOR'] },
  { email: 'owain.llewellyn@caerdydd.gov.uk', name: 'Owain Llewellyn', organisationSlug: 'cardiff', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // The City of Edinburgh Council
  { email: 'fiona.macleod@edinburgh.gov.uk', name: 'Fiona MacLeod', organisationSlug: 'edinburgh', roles: ['CONTRIBUTOR'] },
  { email: 'callum.baird@edinburgh.gov.uk', name: 'Callum Baird', organisationSlug: 'edinburgh', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // Defending Democracy Election Security Unit
  { email: 'eleanor.hart@cabinetoffice.gov.uk', name: 'Eleanor Hart', organisationSlug: 'cabinet-office-des', roles: ['PLATFORM_ADMIN'] },
  { email: 'marcus.reid@cabinetoffice.gov.uk', name: 'Marcus Reid', organisationSlug: 'cabinet-office-des', roles: ['CONTRIBUTOR', 'MODERATOR'] },
  { email: 'nadia.kowalska@cabinetoffice.gov.uk', name: 'Nadia Kowalska', organisationSlug: 'cabinet-office-des', roles: ['MODERATOR'] },
  { email: 'ben.achebe@cabinetoffice.gov.uk', name: 'Ben Achebe', organisationSlug: 'cabinet-office-des', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // MHCLG Elections Division
  { email: 'joanna.price@communities.gov.uk', name: 'Joanna Price', organisationSlug: 'mhclg-elections', roles: ['CONTRIBUTOR'] },
  { email: 'alistair.greaves@communities.gov.uk', name: 'Alistair Greaves', organisationSlug: 'mhclg-elections', roles: ['ORG_ADMIN'] },
  // Tallinn City Government
  { email: 'kadri.tamm@tallinnlv.ee', name: 'Kadri Tamm', organisationSlug: 'tallinn', roles: ['CONTRIBUTOR'] },
  { email: 'martin.kask@tallinnlv.ee', name: 'Martin Kask', organisationSlug: 'tallinn', roles: ['ORG_ADMIN'] },
  // Vilnius City Municipality
  { email: 'egle.petrauskiene@vilnius.lt', name: 'Eglė Petrauskienė', organisationSlug: 'vilnius', roles: ['CONTRIBUTOR'] },
  { email: 'tomas.kazlauskas@vilnius.lt', name: 'Tomas Kazlauskas', organisationSlug: 'vilnius', roles: ['ORG_ADMIN'] },
  // City of Helsinki
  { email: 'aino.virtanen@hel.fi', name: 'Aino Virtanen', organisationSlug: 'helsinki', roles: ['CONTRIBUTOR'] },
  { email: 'mikko.laine@hel.fi', name: 'Mikko Laine', organisationSlug: 'helsinki', roles: ['CONTRIBUTOR', 'ORG_ADMIN'] },
  // South East Regional Organised Crime Unit – Cyber Crime Unit
  { email: 'lisa.harper@serocu.police.uk', name: 'Lisa Harper', organisationSlug: 'serocu-cyber', roles: ['CONTRIBUTOR'] },
  { email: 'ian.mcgregor@serocu.police.uk', name: 'Ian McGregor', organisationSlug: 'serocu-cyber', roles: ['ORG_ADMIN'] },
];

/** The member whose API token `npm start` prints. */
export const DEMO_CONTRIBUTOR_EMAIL: string = 'sarah.okafor@kent.gov.uk';

export const DEMO_PRACTICES: DemoPractice[] = [
  // ---------------------------------------------------------------- Kent
  {
    key: 'kent-councillor-phishing-drill',
    organisationSlug: 'kent',
    authorEmail: 'sarah.okafor@kent.gov.uk',
    title: 'Quarterly phishing simulations for councillors and the elections team',
    summary:
      'In the six months before the county elections we ran four short phishing simulations for all 81 county councillors and the elections team, each followed by a five-minute debrief. The click rate fell from 31% to 7% and reports of suspicious emails to the service desk trebled.',
    problem: `Councillors are attractive targets: their accounts are trusted by residents and officers, they work on a mix of council and personal devices, and they are busiest exactly when the election timetable is running. In the run-up to the previous elections we saw credential-harvesting emails styled as "nomination pack updates" and "spending return reminders", and one councillor's personal webmail was used to send a convincing request for the electoral register to a district elections team.

Our annual cyber e-learning had a completion rate below 40% among members, and the people who did complete it told us it felt generic. We needed something short, relevant to elections and not punitive.`,
    approach: `- **Agreement first.** We took the plan to the cross-party member development panel and the Monitoring Officer, and promised that results would only ever be reported in aggregate. That promise did most of the work in getting consent.
- **Four waves, four lures, all based on real campaigns seen in the sector:**
  1. a fake "change to the nomination deadline" notice;
  2. a parcel-delivery message about "ballot paper proofs";
  3. a "your mailbox is almost full" prompt with a fake sign-in page;
  4. a QR code on a "polling station accessibility survey".
- **Teach at the moment of the click.** Anyone who clicked landed on a 90-second explainer page showing the tell-tale signs in that specific email, not a telling-off.
- **Make reporting easy.** We added a "Report phishing" button to Outlook on council devices and gave councillors who use personal devices a single forwarding address that goes straight to the security team.
- **Debrief in person.** Each wave was discussed for five minutes at the next member briefing, using anonymised screenshots.
- **Elections staff included.** The 14 permanent elections staff took part in every wave, and temporary staff got wave 4 as part of induction.`,
    outcomes: `- Click-through fell from **31%** in wave 1 to **7%** in wave 4.
- Reports of suspicious emails to the service desk rose from about 12 a month to about 38.
- Twice, a genuine credential-harvesting campaign was reported by a councillor within 20 minutes of arriving, which let us block the sender domain across the council before anyone entered a password.
- 74 of 81 councillors attended at least one debrief.`,
    resources: [
      { title: 'NCSC – Phishing attacks: defending your organisation', url: 'https://www.ncsc.gov.uk/guidance/phishing' },
      { title: 'NCSC – Defending Democracy guidance for elected representatives', url: 'https://www.ncsc.gov.uk/collection/defending-democracy' },
    ],
    tags: ['Phishing', 'Training', 'Cyber resilience'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 212,
    comments: [
      {
        authorEmail: 'tom.ashworth@manchester.gov.uk',
        body: 'Did you need formal sign-off before running simulations on elected members? We had push-back last year on "testing" councillors.',
        replies: [
          {
            authorEmail: 'sarah.okafor@kent.gov.uk',
            body: 'Yes, we took it to the cross-party member development panel first and committed to aggregate-only reporting. Once that was written down the objections went away.',
          },
        ],
      },
      {
        authorEmail: 'lisa.harper@serocu.police.uk',
        body: 'The QR-code wave is a good call: we are seeing more QR phishing aimed at local government in the region. Happy to share the lures we have collected if you run another round.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'claire.bunting@norfolk.gov.uk',
        note: 'We reused the four lure themes and the explainer page text for district councillors across the county.',
        outcome: 'Rolled out to all seven Norfolk districts before May',
      },
      {
        memberEmail: 'martin.trevithick@cornwall.gov.uk',
        note: 'Ran waves 1 and 3 for Cornwall councillors and town council clerks.',
        outcome: 'Click rate down from 26% to 11% over two waves',
      },
      {
        memberEmail: 'kadri.tamm@tallinnlv.ee',
        note: 'Translated the explainer page into Estonian and Russian for city council members.',
        outcome: 'Used ahead of the local council elections',
      },
    ],
  },
  {
    key: 'kent-count-rumour-log',
    organisationSlug: 'kent',
    authorEmail: 'james.whitfield@kent.gov.uk',
    title: 'A rumour log for the count: tracking and answering false claims in real time',
    summary:
      'During the count we keep a shared rumour log: a dedicated officer watches social media and the count floor, logs each claim, and the communications lead decides whether to monitor, respond or escalate. Nothing is answered until the facts have been confirmed by the deputy returning officer.',
    problem: `At a previous county count a short video of ballot boxes being wheeled "out of a side door" spread quickly. The boxes were in fact being moved from the receipt area to the verification tables, in full view of agents. By the time we had worked out what the video showed and agreed a response, it had been viewed tens of thousands of times and two agents had raised it on the floor.

The problem was not a lack of facts but a lack of process: nobody was responsible for spotting claims, nobody knew who could approve a reply, and the communications lead was also answering press calls.`,
    approach: `- **A named rumour officer at each count centre**, separate from the communications lead, with a laptop, the official accounts' notifications and a view of the count floor.
- **A single shared log** with columns for: time first seen, where it was seen, the claim in one sentence, estimated reach, the confirmed fact, who confirmed it, the decision and the time the entry was closed.
- **Agreed thresholds.** We respond publicly if a claim concerns the security of ballot papers, is repeated by a candidate or agent, or passes roughly 1,000 views. We escalate to the police if it includes threats, and to the Defending Democracy unit if it looks coordinated.
- **Holding lines written in advance**, for example: "Ballot boxes are moved between areas of the count under the observation of candidates' agents. Every box is accounted for at verification."
- **Tell agents what they will see.** The opening briefing for agents now walks through how boxes and papers move around the hall.`,
    outcomes: `- 17 claims logged across three count centres; 5 answered publicly, 1 escalated to the police.
- Median time from first sighting to a published response fell to **34 minutes**, from roughly three hours at the previous count.
- No formal complaints from agents about transparency at the count.`,
    resources: [
      {
        title: 'Electoral Commission – Guidance for Returning Officers: the count',
        url: 'https://www.electoralcommission.org.uk/guidance-returning-officers/the-count',
      },
    ],
    tags: ['Count integrity', 'Disinformation', 'Communications'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 148,
    comments: [
      {
        authorEmail: 'fiona.macleod@edinburgh.gov.uk',
        body: 'We added a column for "who raised it first". Half of our rumours started with agents on the floor rather than online.',
        replies: [{ authorEmail: 'james.whitfield@kent.gov.uk', body: 'That is a really useful distinction. Adding it to our template for next time.' }],
      },
      {
        authorEmail: 'egle.petrauskiene@vilnius.lt',
        body: 'Do you publish the log afterwards? We published an anonymised version after our municipal elections and journalists appreciated it.',
        replies: [
          {
            authorEmail: 'james.whitfield@kent.gov.uk',
            body: 'Not yet. We shared a summary with the Electoral Commission, and publishing an anonymised version is on the list for the next review.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'fiona.macleod@edinburgh.gov.uk',
        note: 'Adapted the log for the electronic count, with an extra column for scanner and adjudication queries.',
        outcome: 'Used at both count centres in May',
      },
      {
        memberEmail: 'hannah.brierley@leeds.gov.uk',
        note: 'Took the thresholds and holding lines almost word for word.',
        outcome: 'Used at the city council count',
      },
      {
        memberEmail: 'aino.virtanen@hel.fi',
        note: 'Merged the log format into our election-day situation room.',
        outcome: 'Part of the situation-room log since the municipal elections',
      },
    ],
  },
  {
    key: 'kent-ro-impersonation-reporting',
    organisationSlug: 'kent',
    authorEmail: 'sarah.okafor@kent.gov.uk',
    title: "Getting fake 'Returning Officer' accounts taken down quickly",
    summary:
      'A short procedure, with a pre-filled evidence pack, for reporting social media accounts that impersonate the returning officer or the elections team. Our median takedown time fell from about five days to under 24 hours.',
    problem: `Twice in the month before polling day, accounts using the council crest and names like "Kent Elections Office" posted the wrong polling date and a link to a fake "replacement postal vote" form that asked for date of birth and bank details. Reports made through the ordinary in-app tools received automated replies and the accounts stayed up for days.

Voters could not easily tell which accounts were ours, and neither could the platforms' moderators.`,
    approach: `- **Make the real accounts easy to prove.** Before the notice of election we made sure every official account was verified and listed them all on one page of the council website, linked from poll cards.
- **An evidence pack template**, exported as a single PDF, containing:
  - timestamped screenshots and the URL of each offending post;
  - the handle of the genuine account it imitates;
  - a short statement of what is false and how it could affect voters;
  - a statement from Legal Services that the crest and name are the council's.
- **Use the right route.** Alongside the in-app report, we send the pack through the platforms' government and elections escalation channels, via the Defending Democracy unit where we have no direct contact.
- **Warn the public.** The official account posts a screenshot of the fake, clearly marked "NOT US", with a link to the list of genuine accounts.
- **Keep a log** of every case, report reference and outcome.`,
    outcomes: `- 9 impersonating accounts reported during the election period; all 9 removed, median time **19 hours**.
- The fake postal vote form was taken offline by its hosting provider within two days of being reported through the NCSC's suspicious website service.
- Three Kent district councils now use the same evidence pack.`,
    resources: [
      { title: 'NCSC – Report a scam website', url: 'https://www.ncsc.gov.uk/collection/phishing-scams/report-scam-website' },
      {
        title: 'Electoral Commission – Guidance for electoral administrators',
        url: 'https://www.electoralcommission.org.uk/guidance-electoral-administrators',
      },
    ],
    tags: ['Fake accounts', 'Social media', 'Incident response'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 131,
    comments: [
      {
        authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
        body: 'One tip: keep the evidence pack as a single attached PDF. Platform trust and safety teams often cannot open links to shared drives.',
        replies: [{ authorEmail: 'sarah.okafor@kent.gov.uk', body: 'Thanks, we have changed the template so it exports straight to PDF.' }],
      },
      {
        authorEmail: 'rhian.pritchard@cardiff.gov.uk',
        body: 'Our impersonators copied our bilingual style as well. A public list of genuine accounts was the single most useful thing we did.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'rhian.pritchard@cardiff.gov.uk',
        note: 'Used the evidence pack template and added a Welsh-language version of the public warning post.',
        outcome: 'Two fake accounts removed within a day',
      },
      {
        memberEmail: 'egle.petrauskiene@vilnius.lt',
        note: 'Adapted the evidence pack for reporting in Lithuanian.',
        outcome: 'Now part of our election communications handbook',
      },
      {
        memberEmail: 'olivia.mensah@camden.gov.uk',
        note: 'Took the "verify first, list them all in one place" step.',
        outcome: 'All official accounts verified before the notice of election',
      },
    ],
  },
  {
    key: 'kent-count-centre-access',
    organisationSlug: 'kent',
    authorEmail: 'priya.chauhan@kent.gov.uk',
    title: 'Zoned access control and accreditation at count centres',
    summary:
      'Three colour-coded zones, numbered wristbands issued against photo ID and a single controlled entrance at each count centre. Shared as AMBER because it describes our venue layouts and staffing.',
    problem: `Our count centres are leisure centres and exhibition halls with many doors. At the last count an unaccredited person reached the verification area by claiming to be "helping" an agent, and we had several reports of people photographing ballot papers on the tables. Accreditation lists were still being changed on the night, and badges were generic.`,
    approach: `- **Three zones:** the public and press gallery (green), the count floor (amber) and the secure ballot storage and results room (red). Wristband colour matches the highest zone a person may enter.
- **Accreditation closes 48 hours before the count.** Late changes need the deputy returning officer's signature.
- **Numbered wristbands** are issued at a single desk against photo ID and the accreditation list; lost wristbands are cancelled on the list and replaced only by the desk supervisor.
- **One way in.** All other doors are alarmed and marked on the inside; door staff from the venue's security contractor are briefed by police licensing officers beforehand.
- **Red zone rules:** two-person rule for ballot storage, CCTV, and a runner log recording each box that moves between zones.
- **Phones:** agents may keep phones, but photographing ballot papers leads to removal; stewards are briefed on how to deal with it calmly.`,
    outcomes: `- No unaccredited entries at any of our three count centres.
- The accreditation desk processed around 600 people in 55 minutes at the busiest point.
- The layout was reviewed and endorsed by a police counter-terrorism security adviser.`,
    resources: [],
    tags: ['Physical security', 'Count integrity'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['serocu-cyber', 'cabinet-office-des'],
    status: 'PUBLISHED',
    publishedDaysAgo: 96,
    comments: [
      {
        authorEmail: 'ian.mcgregor@serocu.police.uk',
        body: "Worth adding a check that the venue's own Wi-Fi is not broadcasting a network name that identifies the count network. We spotted one at a count last year.",
        replies: [{ authorEmail: 'priya.chauhan@kent.gov.uk', body: 'Good catch. It is now on the venue checklist.' }],
      },
      {
        authorEmail: 'nadia.kowalska@cabinetoffice.gov.uk',
        body: 'Would you consider a redacted GREEN version without the venue details? Several councils have asked for exactly this, and we are happy to help with the redaction.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'ian.mcgregor@serocu.police.uk',
        note: 'We used the zone model when briefing force licensing officers on count-centre security.',
        outcome: 'Built into our regional count-centre advice',
      },
    ],
  },
  {
    key: 'kent-polling-day-incident-cell',
    organisationSlug: 'kent',
    authorEmail: 'sarah.okafor@kent.gov.uk',
    title: 'Polling day incident cell: roles, severity levels and decision log',
    summary:
      'How our polling day incident cell is staffed from 06:00 to close of poll, with the severity levels and decision log we use. AMBER+STRICT because it contains internal escalation thresholds and contact arrangements.',
    problem: `Polling day incidents (a station not opening because a keyholder is missing, the register lookup going down, a suspicious person outside a station, a false claim spreading online) used to be handled by whoever picked up the phone. Decisions were not recorded, and the returning officer heard about some incidents from the press.`,
    approach: `- **Cell roles:** cell lead (deputy returning officer), logistics, IT and cyber, communications, and a police liaison officer sitting with us.
- **One number and one mailbox** for presiding officers, printed on the inside cover of every polling station handbook.
- **Severity levels:**
  - Level 1 – local, resolved by the cell within an hour;
  - Level 2 – affects voters' ability to vote at a station, or public attention is likely; returning officer informed immediately;
  - Level 3 – affects several stations, involves a crime or threatens the poll; returning officer leads, police and Defending Democracy unit informed.
- **Decision log:** time, reporter, station, description, severity, decision, who decided, rationale, time closed.
- **Rhythm:** a written situation report to the returning officer every hour and a check-in with the police liaison every 30 minutes.`,
    outcomes: `- 64 incidents handled on polling day, 3 at level 2 and none at level 3.
- Every polling station opened by 07:00.
- Median time to close a level 1 incident: 22 minutes.`,
    resources: [],
    tags: ['Incident response', 'Polling day'],
    language: 'en',
    visibility: 'TLP_AMBER_STRICT',
    status: 'PUBLISHED',
    publishedDaysAgo: 88,
    comments: [
      {
        authorEmail: 'james.whitfield@kent.gov.uk',
        body: "Could we add a column for the presiding officer's call-back number? Twice we lost time looking it up.",
        replies: [{ authorEmail: 'priya.chauhan@kent.gov.uk', body: 'Agreed, I will add it to the template before the next by-election.' }],
      },
    ],
  },
  {
    key: 'kent-postal-vote-prebunk',
    organisationSlug: 'kent',
    authorEmail: 'james.whitfield@kent.gov.uk',
    title: 'Pre-bunking postal vote myths before the packs land on doormats',
    summary:
      'Draft: a short campaign explaining what is in a postal vote pack, why the security statement asks for a signature and date of birth, and what happens to the pack after it is returned, published a week before packs are dispatched.',
    problem: `Each election brings the same claims about postal votes: that they are "opened and read" before the count, that a missing pencil means a ballot will be discarded, or that postal votes are "counted separately and only if the result is close". Correcting these after they spread is slow and reaches fewer people than the original claim.`,
    approach: `- Three short videos filmed in the postal vote opening room, showing what agents observe.
- A one-page "What happens to your postal vote" explainer included with the pack.
- Posts timed for the week before dispatch, so the explanation arrives before the myths.
- A plain-English answer for each of the five most common myths from last time.`,
    outcomes: `To be measured after the next scheduled elections: reach of the pre-bunk posts, number of postal vote queries to the call centre, and number of rejected postal vote statements.`,
    resources: [{ title: 'GOV.UK – Apply for a postal vote', url: 'https://www.gov.uk/apply-postal-vote' }],
    tags: ['Disinformation', 'Voter information', 'Postal votes'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'DRAFT',
  },
  // ---------------------------------------------------------------- Manchester
  {
    key: 'mcr-mfa-elections-mailboxes',
    organisationSlug: 'manchester',
    authorEmail: 'tom.ashworth@manchester.gov.uk',
    title: 'Phishing-resistant multi-factor authentication for every elections mailbox',
    summary:
      'We moved the elections team, its shared mailboxes and the electoral management software administrator accounts to multi-factor authentication with number matching, and gave administrators FIDO2 security keys. It took six weeks and caused no lockouts on polling day.',
    problem: `Our shared mailboxes (the general elections address, postal votes, and candidates and agents) were used by permanent and seasonal staff, and in some cases accessed with a shared password. During the annual canvass we take on temporary staff who needed access quickly. A neighbouring authority had a shared mailbox compromised and used to send fake poll card emails to residents, which made the risk very concrete.`,
    approach: `- **Inventory first:** 14 shared mailboxes and 42 named accounts with access to elections systems.
- **No direct sign-in to shared mailboxes.** Access is only by delegated permission from a named account, so every action is attributable.
- **Number-matching MFA** for every named account, with a 10-minute in-person enrolment session for temporary staff on their first day.
- **FIDO2 security keys** for the six electoral management software administrator accounts, with a spare key held in the safe.
- **Conditional access** for the elections group: legacy authentication blocked, and sign-ins from outside the UK blocked, with a tested break-glass account held by IT security.
- **A polling-day helpdesk script** for lost or broken phones, so a presiding officer's supervisor is never locked out for more than a few minutes.`,
    outcomes: `- 100% of the 42 accounts enrolled; 6 hardware keys issued.
- About 1,900 legacy-authentication sign-in attempts blocked in the first month.
- No MFA-related lockouts on polling day and no mailbox compromises since.`,
    resources: [
      { title: 'NCSC – Multi-factor authentication for online services', url: 'https://www.ncsc.gov.uk/guidance/multi-factor-authentication-online-services' },
      { title: 'NCSC – Cyber Essentials overview', url: 'https://www.ncsc.gov.uk/cyberessentials/overview' },
    ],
    tags: ['Cyber resilience', 'Data protection', 'Phishing'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 305,
    comments: [
      {
        authorEmail: 'imran.qureshi@leeds.gov.uk',
        body: "How did you handle temporary count staff who don't have council phones?",
        replies: [
          {
            authorEmail: 'tom.ashworth@manchester.gov.uk',
            body: 'Count staff do not get mailbox access at all; they work on paper and through their supervisor. Postal vote opening staff who need system access were issued keys from a small pool.',
          },
        ],
      },
      {
        authorEmail: 'callum.baird@edinburgh.gov.uk',
        body: 'The break-glass account is the part people forget. Do you test it?',
        replies: [
          {
            authorEmail: 'gareth.holt@manchester.gov.uk',
            body: 'Quarterly, and the test is logged by the IT security team. We also test it the week before every poll.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'imran.qureshi@leeds.gov.uk',
        note: 'Applied the same conditional access policies to the Leeds elections group.',
        outcome: 'All 31 elections accounts enrolled before the canvass',
      },
      {
        memberEmail: 'ruth.adeyemi@camden.gov.uk',
        note: 'Issued FIDO2 keys to our electoral management software administrators.',
        outcome: 'Keys issued to four administrators',
      },
      {
        memberEmail: 'callum.baird@edinburgh.gov.uk',
        note: 'Blocked legacy authentication for the elections group and removed shared passwords.',
        outcome: 'Completed six weeks before polling day',
      },
      {
        memberEmail: 'tomas.kazlauskas@vilnius.lt',
        note: 'Applied the approach to the municipal election commission mailboxes.',
        outcome: 'In place for the municipal elections',
      },
    ],
  },
  {
    key: 'mcr-candidate-safety-briefings',
    organisationSlug: 'manchester',
    authorEmail: 'aisha.rahman@manchester.gov.uk',
    title: 'Joint safety briefings for candidates with the police',
    summary:
      'Every candidate is invited to a 45-minute safety briefing delivered jointly by the elections team and the police, shortly after the close of nominations. It covers personal safety while canvassing, online abuse, and who to call.',
    problem: `Candidates told us they did not know what counts as a crime online, who to report abuse to, or whether reporting would "make things worse". Several first-time candidates had shared their home address and daily routine on social media without realising the risk. Information was available, but spread across many documents and websites.`,
    approach: `- **One briefing, two voices.** The deputy returning officer covers the electoral process and what the council can and cannot do; a police officer covers personal safety, online abuse and how to report.
- **Practical content:**
  - canvassing in pairs and sharing a route with someone;
  - keeping personal and campaign social media accounts separate;
  - screenshotting and keeping evidence before blocking;
  - the difference between robust criticism and threats or harassment.
- **Two sessions** (an evening in person and a lunchtime online), with the online session recorded and sent to all candidates with their receipt of nomination.
- **A one-page contact card** with the police single point of contact, the elections office and out-of-hours numbers.
- Agents are welcome, so the message reaches campaign teams as well as candidates.`,
    outcomes: `- 68% of candidates attended or watched the recording, up from roughly 20% for the previous written guidance alone.
- Reports of abuse to the police single point of contact rose from 4 to 15, which we see as better reporting rather than more abuse.
- In a follow-up survey, 9 in 10 attendees said they knew who to contact.`,
    resources: [
      { title: 'Electoral Commission – Guidance for candidates and agents', url: 'https://www.electoralcommission.org.uk/guidance-candidates-and-agents' },
      { title: 'GOV.UK – Candidate safety guidance', url: 'https://www.gov.uk/government/publications/candidate-safety-guidance' },
    ],
    tags: ['Candidate safety', 'Partnerships', 'Training'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 274,
    comments: [
      {
        authorEmail: 'olivia.mensah@camden.gov.uk',
        body: 'Did you offer the briefing online as well? Our attendance doubled when we recorded it.',
        replies: [
          {
            authorEmail: 'aisha.rahman@manchester.gov.uk',
            body: 'Yes, the second session was online and recorded, and the recording went out with the receipt of nomination.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'olivia.mensah@camden.gov.uk',
        note: 'Ran a joint briefing with our local police safer neighbourhoods team.',
        outcome: 'Briefed 112 candidates over two sessions',
      },
      {
        memberEmail: 'mikko.laine@hel.fi',
        note: 'Adapted the structure and contact card for municipal candidates.',
        outcome: 'Included in the candidate information evening',
      },
    ],
  },
  {
    key: 'mcr-count-livestream',
    organisationSlug: 'manchester',
    authorEmail: 'tom.ashworth@manchester.gov.uk',
    title: 'Live-streaming verification and the count to take the heat out of conspiracy theories',
    summary:
      'We streamed a wide-angle view of verification and the count, with no ballot paper readable, alongside a running explainer of each stage. Claims of "secret counting" dropped sharply compared with the previous count.',
    problem: `When a count runs late, the gap between the close of poll and the declaration fills with speculation. At our previous count, a delay in one ward led to claims that ballots were being "counted in secret" and that boxes had "gone missing". Only agents and a handful of journalists could see what was really happening.`,
    approach: `- **Cameras high and wide.** Two cameras mounted on the balcony; before going live we checked at full zoom that no individual ballot paper marking could be read.
- **A running explainer.** A timeline of the night (receipt of boxes, verification, sorting, counting, adjudication of doubtful papers, declaration), posted before the count and referred to throughout.
- **Comments switched off on the stream itself**, with questions routed to the official account where the communications team answered them.
- **Agents told in advance** at the agents' briefing, and the Data Protection Officer consulted on signage and framing.
- A named officer watches the stream and can cut it if anything sensitive comes into view.`,
    outcomes: `- 21,000 unique viewers over the night.
- We logged 4 "secret counting" claims, compared with 23 at the previous comparable count.
- Press office calls during the count were down by about half.`,
    resources: [
      {
        title: 'Electoral Commission – Guidance for Returning Officers: the count',
        url: 'https://www.electoralcommission.org.uk/guidance-returning-officers/the-count',
      },
    ],
    tags: ['Count integrity', 'Communications', 'Social media'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 57,
    comments: [
      {
        authorEmail: 'fiona.macleod@edinburgh.gov.uk',
        body: 'Did you need consent from candidates or counting staff to be filmed?',
        replies: [
          {
            authorEmail: 'tom.ashworth@manchester.gov.uk',
            body: "We informed everyone through the agents' briefing and staff instructions and put signs up. At that height and distance nobody is identifiable, and our DPO was content with that.",
          },
        ],
      },
      {
        authorEmail: 'joanna.price@communities.gov.uk',
        body: 'Very useful. We are collecting examples of count transparency measures for good practice material; could we cite this one?',
        replies: [{ authorEmail: 'gareth.holt@manchester.gov.uk', body: 'Yes, please do, and we are happy to share the camera checklist.' }],
      },
    ],
    adoptions: [
      {
        memberEmail: 'fiona.macleod@edinburgh.gov.uk',
        note: 'Streamed the e-count results screen and the adjudication area.',
        outcome: 'Stream ran on both days of the count',
      },
      { memberEmail: 'hannah.brierley@leeds.gov.uk', note: 'Trialled a single camera at one count centre.', outcome: 'Trialled at one of three count centres' },
    ],
  },
  {
    key: 'mcr-ems-supplier-hardening',
    organisationSlug: 'manchester',
    authorEmail: 'gareth.holt@manchester.gov.uk',
    title: 'Hardening the electoral management software estate with our supplier',
    summary:
      'A joint review with our electoral management software supplier covering patching windows, remote support access and logging. Shared as AMBER with councils on the same platform and the Defending Democracy unit.',
    problem: `Our electoral management software runs on servers we host, but the supplier supports it remotely. Before the review, supplier engineers connected through a remote desktop tool that stayed installed permanently, and patches were applied whenever the supplier released them, including once during the week of a by-election. Logs were kept for only 14 days.`,
    approach: `- **Remote access through our own jump host**, with named supplier accounts, MFA and session recording; the permanent remote desktop tool was removed.
- **Change freezes tied to the electoral timetable:** no non-emergency changes from the publication of the notice of election until the declaration.
- **Patching windows agreed in advance** with the supplier and the other councils on the same version, so their engineers are not juggling several freezes at once.
- **Logs kept for 13 months** and forwarded to our security monitoring service, with alerts for bulk exports of register data.
- **A joint incident contact sheet** with the supplier, tested twice a year.`,
    outcomes: `- Remote support sessions are now 100% recorded and attributable.
- Two suspicious sign-in attempts against the supplier's shared support account were caught by the new alerting and turned out to be credential-stuffing; the account has since been replaced by named accounts.
- No unplanned changes during the last three electoral periods.`,
    resources: [{ title: 'NCSC – Supply chain security guidance', url: 'https://www.ncsc.gov.uk/collection/supply-chain-security' }],
    tags: ['Cyber resilience', 'Threat intelligence', 'Election administration'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['leeds', 'cabinet-office-des'],
    status: 'PUBLISHED',
    publishedDaysAgo: 190,
    comments: [
      {
        authorEmail: 'imran.qureshi@leeds.gov.uk',
        body: 'We have the same supplier. Could we align our patching windows so their engineers are not working around two separate freezes?',
        replies: [
          { authorEmail: 'gareth.holt@manchester.gov.uk', body: 'Yes, let us take it to the regional electoral services group and agree a shared calendar.' },
        ],
      },
      {
        authorEmail: 'nadia.kowalska@cabinetoffice.gov.uk',
        body: 'The jump-host arrangement is very close to what we are recommending nationally. Thank you for writing it up in this much detail.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'imran.qureshi@leeds.gov.uk',
        note: 'Moved supplier remote access onto our own jump host with session recording.',
        outcome: 'In place before the annual canvass',
      },
    ],
  },
  {
    key: 'mcr-canvass-text-scam',
    organisationSlug: 'manchester',
    authorEmail: 'aisha.rahman@manchester.gov.uk',
    title: 'Warning residents about text messages pretending to be the annual canvass',
    summary:
      'Archived: this local warning campaign has been superseded by national messaging. It describes how we responded when residents received text messages asking them to "confirm their electoral registration" for a fee.',
    problem: `During the annual canvass, residents began receiving text messages saying they would be "removed from the electoral register" unless they confirmed their details through a link and paid a small "administration fee". The messages arrived in the same weeks as our genuine canvass communications, which made them more convincing.`,
    approach: `- A short, clear message on the council website and social media: **registering to vote is free, and we will never ask for payment or bank details.**
- The same line added to the canvass emails and letters that were still to be sent.
- Call centre staff given a script and asked to record the sender numbers residents reported.
- Sender numbers and the phishing site reported through the national reporting services.`,
    outcomes: `- The phishing site was taken down within 48 hours of being reported.
- Around 300 residents contacted the council to check; none of those who called had paid.`,
    resources: [{ title: 'GOV.UK – Register to vote', url: 'https://www.gov.uk/register-to-vote' }],
    tags: ['Phishing', 'Voter information'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'ARCHIVED',
    publishedDaysAgo: 390,
    comments: [
      {
        authorEmail: 'claire.bunting@norfolk.gov.uk',
        body: 'We saw the same lure a few weeks later. Worth keeping this visible as a record even though it is archived.',
      },
    ],
  },
  // ---------------------------------------------------------------- Leeds
  {
    key: 'leeds-trusted-messenger-network',
    organisationSlug: 'leeds',
    authorEmail: 'hannah.brierley@leeds.gov.uk',
    title: 'A trusted messenger network to carry accurate voting information into communities',
    summary:
      "About 60 community organisations, faith groups, libraries and tenants' associations receive a short monthly briefing on the facts of voting, written so it can be forwarded as it is. They pass it on in their own words and channels, and tell us which rumours they are hearing.",
    problem: `Misleading claims about how to vote (that you need a poll card to vote, that a particular form of photo ID is not accepted, that postal votes are "easier to lose") travel fastest in closed groups and messaging apps, where council posts rarely reach. Residents in some communities told us they trusted their mosque, church, residents' association or local library more than the council.`,
    approach: `- **Recruit through existing relationships:** community development workers, library managers and the voluntary sector forum introduced us to groups.
- **A monthly briefing of no more than one page**, in plain English and the five most requested community languages, containing only procedural facts: dates, registration deadlines, accepted ID, how to apply for a postal or proxy vote.
- **No comment on candidates or campaigns, ever.** Partners choose what they pass on and how.
- **A two-way channel:** partners can message a named officer with rumours they hear, which feeds our rumour tracking.
- **Thank-you and feedback:** a short annual event where partners tell us what worked.`,
    outcomes: `- 61 partners active at the last elections, reaching an estimated 40,000 residents through their channels.
- 23 rumours reported to us by partners before they appeared on public social media.
- Applications for a Voter Authority Certificate in the wards with the most partners were about twice the city average.`,
    resources: [{ title: 'Electoral Commission – Voter information resources', url: 'https://www.electoralcommission.org.uk/voting-and-elections' }],
    tags: ['Partnerships', 'Voter information', 'Disinformation'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 244,
    comments: [
      {
        authorEmail: 'daniel.fischer@camden.gov.uk',
        body: 'How did you avoid it looking like the council telling people what to think?',
        replies: [
          {
            authorEmail: 'hannah.brierley@leeds.gov.uk',
            body: 'We only share procedural facts: dates, ID, how to vote. We never comment on claims about candidates or policies, and partners decide what to forward.',
          },
        ],
      },
      {
        authorEmail: 'aino.virtanen@hel.fi',
        body: 'We run something similar through our city libraries. The two-way rumour channel is a good idea that we had not thought of.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'daniel.fischer@camden.gov.uk',
        note: 'Started a smaller network through our community centres and libraries.',
        outcome: '15 community partners signed up in the first year',
      },
      {
        memberEmail: 'aino.virtanen@hel.fi',
        note: 'Added a rumour-reporting channel for our library partners.',
        outcome: 'Eight libraries reporting rumours during the elections',
      },
    ],
  },
  {
    key: 'leeds-ballot-box-chain-of-custody',
    organisationSlug: 'leeds',
    authorEmail: 'hannah.brierley@leeds.gov.uk',
    title: 'Tamper-evident seals and a chain-of-custody log from polling station to count',
    summary:
      'Every ballot box is sealed with numbered tamper-evident seals, photographed at each handover and logged from the moment it leaves storage until it is opened at verification. Any question about a box can now be answered from the log in minutes.',
    problem: `After a previous election, a claim that a box had been "opened in a car park" was difficult to disprove because handovers between presiding officers, collection drivers and count staff were recorded on paper slips that were not always completed. The claim was false, but it took days to show it.`,
    approach: `- **Numbered seals** applied by the presiding officer at close of poll, with seal numbers recorded on the ballot paper account.
- **A photo at every handover** (presiding officer to driver, driver to count receipt) showing the seals and the box number, taken on a council phone with the time recorded.
- **Two people at every handover**, both signing the log.
- **At receipt,** count staff check seal numbers against the ballot paper account before the box enters the count hall; discrepancies go straight to the deputy returning officer.
- **Agents can inspect** the seals at receipt and at verification.`,
    outcomes: `- 100% of 312 boxes with a complete photographic chain at the last city council elections.
- Two seal discrepancies identified at receipt, both recording errors, resolved in front of agents within 15 minutes.
- One online claim about a tampered box answered with the relevant (redacted) log entry within an hour.`,
    resources: [],
    tags: ['Count integrity', 'Physical security', 'Polling day'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 66,
    comments: [
      {
        authorEmail: 'tamsin.penrose@cornwall.gov.uk',
        body: 'The photo at every handover is simple and brilliant. We are going to use it for boxes that travel by boat.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'tamsin.penrose@cornwall.gov.uk',
        note: 'Used the handover photos and two-person rule, including for boxes coming from the islands.',
        outcome: 'Complete chain of custody for every box in May',
      },
      {
        memberEmail: 'stephen.lowe@norfolk.gov.uk',
        note: 'Recommended the log to all seven district returning officers.',
        outcome: 'Adopted by five of the seven districts',
      },
    ],
  },
  {
    key: 'leeds-social-listening-rota',
    organisationSlug: 'leeds',
    authorEmail: 'imran.qureshi@leeds.gov.uk',
    title: 'A social listening rota for the election period, with escalation to the Defending Democracy unit',
    summary:
      'A rota of trained officers monitors public social media for claims about the electoral process in Leeds from the notice of election to the declaration. Shared as AMBER because it includes our search terms and escalation criteria.',
    problem: `We had no systematic view of what was being said publicly about voting in the city. Problems (a false polling date, a fake results image, a coordinated set of new accounts attacking polling station staff) were noticed by chance, often late.`,
    approach: `- **Scope:** only claims about the electoral process (dates, places, ID, counting, staff), never monitoring of candidates' or campaigns' political content.
- **Rota:** four trained officers, two hours each working day, rising to continuous cover on polling day and at the count.
- **Search terms that work:** polling station names, ward names combined with "ballot", "count" or "postal", and the names of our official accounts. Generic election hashtags were almost pure noise.
- **Triage categories:** procedural error (correct it), deliberate false claim (rebut if it meets the threshold), threat (police), suspected coordination (Defending Democracy unit).
- **Escalation pack:** links, screenshots, account creation dates and posting times, sent to the Defending Democracy unit's mailbox.`,
    outcomes: `- 140 items logged over six weeks; 19 corrected or rebutted; 3 referred to police; 2 referred as suspected coordination.
- One of the coordination referrals was matched by the Defending Democracy unit with activity in two other regions.`,
    resources: [],
    tags: ['Social media', 'Threat intelligence', 'Disinformation'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['manchester', 'cabinet-office-des'],
    status: 'PUBLISHED',
    publishedDaysAgo: 121,
    comments: [
      {
        authorEmail: 'tom.ashworth@manchester.gov.uk',
        body: 'Which search terms gave you the most signal?',
        replies: [
          {
            authorEmail: 'imran.qureshi@leeds.gov.uk',
            body: 'Polling station names, and ward names combined with "ballot" or "count". We dropped the generic hashtags after the first week.',
          },
        ],
      },
      {
        authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
        body: 'The two coordination referrals you sent in week three helped us link activity across regions. The escalation pack format was exactly what we needed.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'tom.ashworth@manchester.gov.uk',
        note: 'Used the triage categories and escalation pack for our own rota.',
        outcome: 'Rota ran from the notice of election to the declaration',
      },
    ],
  },
  {
    key: 'leeds-escalation-cards',
    organisationSlug: 'leeds',
    authorEmail: 'imran.qureshi@leeds.gov.uk',
    title: 'Pocket escalation cards for polling station staff',
    summary:
      'Draft: a folded card for every presiding officer and poll clerk showing what to do, and who to call, for the ten most common polling day incidents, from a missing keyholder to a voter filming inside the station.',
    problem: `Polling station handbooks are thorough but long. In an incident, staff phone the elections office for things the handbook already covers, and the lines get jammed at exactly the wrong moment.`,
    approach: `- Ten incidents, each with three lines: what to do now, who to call, what to write in the log.
- Tested with ten experienced presiding officers and ten first-timers.
- Printed on card, included in every ballot box kit.`,
    outcomes: `Pilot planned at the next by-election: we will count calls to the elections office per station and compare with the previous election.`,
    resources: [],
    tags: ['Training', 'Polling day', 'Incident response'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'DRAFT',
  },
  // ---------------------------------------------------------------- Cornwall
  {
    key: 'cornwall-rural-polling-resilience',
    organisationSlug: 'cornwall',
    authorEmail: 'tamsin.penrose@cornwall.gov.uk',
    title: 'Keeping rural polling stations running when the signal drops',
    summary:
      'A fallback plan for polling stations with poor or no mobile signal: printed register lookups, pre-arranged landlines and two satellite phones, so an outage never stops a station from issuing ballot papers or reporting an incident.',
    problem: `Many of our polling stations are village halls and chapels with patchy mobile coverage. Staff relied on mobile phones to contact the elections office, and some used an online lookup to find electors quickly. On one polling day, a regional network outage left 30 stations unable to call in for over two hours, and a rumour spread online that "voting had been suspended" in parts of the county.`,
    approach: `- **Paper first:** every station has the printed register and a printed street index, so lookups never depend on connectivity.
- **A contact plan for each station:** the village hall landline, a nearby business or neighbour who has agreed to help, and the nearest point with reliable signal.
- **Two satellite phones** for the most remote stations, tested the week before polling day.
- **Mobile inspectors** with set routes, able to relay messages.
- **A public holding line ready** in case of an outage: "Polling stations are open and working normally. Some phone lines are affected, which does not affect your ability to vote."`,
    outcomes: `- At the next polling day, a three-hour outage affected 18 stations; all kept issuing ballot papers and all reported in within 40 minutes.
- The holding line was published within 25 minutes and the "voting suspended" claim did not reappear.`,
    resources: [
      {
        title: 'Electoral Commission – Guidance for Returning Officers: polling stations',
        url: 'https://www.electoralcommission.org.uk/guidance-returning-officers/polling-stations',
      },
    ],
    tags: ['Polling day', 'Incident response', 'Election administration'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 172,
    comments: [
      {
        authorEmail: 'stephen.lowe@norfolk.gov.uk',
        body: 'We have exactly the same issue in parts of the Broads. Did you buy the satellite phones or hire them?',
        replies: [
          {
            authorEmail: 'tamsin.penrose@cornwall.gov.uk',
            body: "We borrowed them from the council's emergency planning team, which also meant they were already tested and charged.",
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'stephen.lowe@norfolk.gov.uk',
        note: 'Introduced station-by-station contact plans for our most rural polling places.',
        outcome: 'Contact plans in place for 140 rural stations',
      },
    ],
  },
  {
    key: 'cornwall-island-ballot-transport',
    organisationSlug: 'cornwall',
    authorEmail: 'tamsin.penrose@cornwall.gov.uk',
    title: 'Moving ballot boxes by sea and air: contingencies for island polling stations',
    summary:
      'How we plan the return of ballot boxes from island polling stations to the mainland count, with fallbacks for weather, and how we keep the chain of custody intact on the way.',
    problem: `Ballot boxes from island polling stations must reach the count on the mainland. The scheduled service can be cancelled at short notice because of weather, and a delay is visible to everyone waiting for a result, which invites speculation about what is happening to the boxes.`,
    approach: `- **Three transport options booked in advance** (scheduled crossing, a chartered boat and a light aircraft), with a decision point at 16:00 on polling day based on the forecast.
- **Two accredited staff travel with the boxes** at all times; boxes never travel as freight.
- **Sealed and photographed** at the close of poll and again at the count, using the same chain-of-custody log as mainland boxes.
- **If the boxes cannot travel overnight,** they are stored in a locked room at the island police station, with agents informed and invited to observe resealing.
- **We publish the plan before polling day**, so that a delay is expected rather than suspicious.`,
    outcomes: `- Boxes arrived at the count before verification began at the last two elections.
- When weather forced the fallback option once, the published plan meant there were no complaints from candidates or agents about the delay.`,
    resources: [],
    tags: ['Physical security', 'Election administration', 'Polling day'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 160,
    comments: [
      {
        authorEmail: 'aino.virtanen@hel.fi',
        body: 'Helsinki has polling on some of its islands too. Publishing the transport plan in advance is a good idea; we will suggest it to our central election committee.',
      },
    ],
  },
  {
    key: 'cornwall-deepfake-audio-response',
    organisationSlug: 'cornwall',
    authorEmail: 'martin.trevithick@cornwall.gov.uk',
    title: 'Responding to a deepfake audio clip of a candidate during the campaign',
    summary:
      'Ten days before polling day, a fabricated audio clip of a candidate circulated in local messaging groups. This write-up sets out what the returning officer did and deliberately did not do, and how the police and the Defending Democracy unit helped.',
    problem: `A 40-second audio clip, apparently of a candidate making offensive remarks about a local community, began circulating in messaging groups and was then posted publicly. The candidate said it was fabricated and was receiving threats. The press asked the returning officer to "confirm whether it is real".

A returning officer is not the arbiter of what candidates say, and an intervention that appeared to take sides would damage trust in the election. But the threats to the candidate and the potential effect on voters could not be ignored.`,
    approach: `- **Stay in role.** The returning officer made no statement about the content of the clip. Our public line explained how to report suspected false content and threats, and that the election was proceeding normally.
- **Candidate safety first.** The candidate was put in touch with the police single point of contact the same day; a safety plan was agreed for the remaining campaign events.
- **Preserve the evidence properly.** We obtained the earliest copy of the original file with its metadata, rather than a screen recording. Our first copy was a re-recording, which cost us a day.
- **Specialist analysis.** The Defending Democracy unit arranged a technical assessment, which found strong indicators of synthetic speech.
- **Platform reporting** through established escalation routes, with the assessment attached.
- **Record everything** in the incident log, including the decisions not to act.`,
    outcomes: `- The clip was removed or labelled on the two main platforms within 36 hours of the assessment.
- No further threats were reported after the safety plan was put in place.
- No complaint was made about the returning officer's neutrality by any candidate or agent.`,
    resources: [{ title: 'NCSC – Defending Democracy collection', url: 'https://www.ncsc.gov.uk/collection/defending-democracy' }],
    tags: ['Deepfakes', 'Incident response', 'Candidate safety'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['cabinet-office-des', 'serocu-cyber'],
    status: 'PUBLISHED',
    publishedDaysAgo: 74,
    comments: [
      {
        authorEmail: 'ben.achebe@cabinetoffice.gov.uk',
        body: "The returning officer's decision to stay strictly neutral on the content was the right call, and it is the point we now lead with when briefing other returning officers.",
      },
      {
        authorEmail: 'lisa.harper@serocu.police.uk',
        body: 'For anyone in the region: preserve the original file with its metadata, not a screen or phone recording, and bring it to us through your police single point of contact.',
        replies: [
          {
            authorEmail: 'martin.trevithick@cornwall.gov.uk',
            body: 'Exactly. We lost a day because the first copy we were sent had been re-recorded on another phone.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'ben.achebe@cabinetoffice.gov.uk',
        note: "Used, with Cornwall's permission, as the worked example in our deepfake response playbook.",
        outcome: 'Case study in the national playbook',
      },
    ],
  },
  {
    key: 'cornwall-parish-clerk-phishing',
    organisationSlug: 'cornwall',
    authorEmail: 'martin.trevithick@cornwall.gov.uk',
    title: 'Phishing awareness sessions for town and parish council clerks before combined elections',
    summary:
      "Archived: the content has moved into the countywide clerks' training programme. Short online sessions for town and parish clerks, who handle nomination queries and local notices during combined elections and are frequently targeted by invoice and impersonation fraud.",
    problem: `Town and parish clerks often work alone, on their own equipment, with a generic email address. Before combined elections they exchange many emails with the elections team about notices and nominations, which makes impersonation of the elections team an effective lure.`,
    approach: `- Three 30-minute online sessions at different times of day.
- Real (anonymised) examples of emails impersonating the elections team.
- A simple rule: any change to bank details or any request for the electoral register is confirmed by phone, using a number you already have.`,
    outcomes: `- 146 of about 210 clerks attended.
- Two attempted invoice frauds reported to us afterwards, neither successful.`,
    resources: [],
    tags: ['Phishing', 'Training'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'ARCHIVED',
    publishedDaysAgo: 365,
  },
  // ---------------------------------------------------------------- Camden
  {
    key: 'camden-candidate-address-protection',
    organisationSlug: 'camden',
    authorEmail: 'olivia.mensah@camden.gov.uk',
    title: 'Helping candidates keep their home addresses off the ballot paper and published notices',
    summary:
      'Candidates can ask for their home address not to be made public, so that only the area where it is situated is shown. We explain the option clearly in the nomination pack, check it at the informal check, and have a second officer review every published document before it goes out.',
    problem: `Candidates, particularly first-time and independent candidates, were often unaware that they could keep their home address off the ballot paper and the statement of persons nominated. Some only discovered the option after their address had appeared in published notices and been shared online. In one case a candidate received unwanted visits at home during the campaign.

We also found that our own processes were a risk: addresses are copied between several documents, and a manual error could publish an address even when the candidate had asked for it to be withheld.`,
    approach: `- **A plain-English cover note** at the front of every nomination pack explaining the option, what will be shown instead, and that the full address is still needed on the home address form, which is not published.
- **Informal checks** of nomination papers include a specific question: "Have you decided whether you want your address made public?"
- **A second-officer check** of the statement of persons nominated, the notice of poll and the ballot paper proof against the home address forms, signed off before anything is published or sent to the printer.
- **Agents briefed** that published documents will show the area only for those who opted out.
- **Safe storage:** home address forms are kept separately from documents available for inspection.`,
    outcomes: `- 87% of candidates chose to withhold their address at the last borough elections, up from 41%.
- No addresses published in error across three elections and two by-elections.
- The second-officer check takes about five minutes per ward.`,
    resources: [
      { title: 'Electoral Commission – Guidance for candidates and agents', url: 'https://www.electoralcommission.org.uk/guidance-candidates-and-agents' },
      {
        title: 'GOV.UK – Guidance for candidates standing in local elections',
        url: 'https://www.gov.uk/government/collections/guidance-for-candidates-local-elections',
      },
    ],
    tags: ['Candidate safety', 'Data protection', 'Election administration'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 233,
    comments: [
      {
        authorEmail: 'aisha.rahman@manchester.gov.uk',
        body: 'The second-officer check is the part we were missing. We very nearly published a withheld address on a notice of poll last year.',
        replies: [{ authorEmail: 'olivia.mensah@camden.gov.uk', body: 'It is the most valuable five minutes in the whole timetable.' }],
      },
      {
        authorEmail: 'fiona.macleod@edinburgh.gov.uk',
        body: 'Note for Scottish colleagues: the forms and rules are slightly different for Scottish local government elections, so adapt the cover note rather than copying it.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'aisha.rahman@manchester.gov.uk',
        note: 'Added the second-officer check to our election timetable.',
        outcome: 'No publication errors at the city council elections',
      },
      {
        memberEmail: 'hannah.brierley@leeds.gov.uk',
        note: 'Reused the cover note wording in our nomination packs.',
        outcome: 'Opt-out rate rose from 35% to 79%',
      },
      {
        memberEmail: 'rhian.pritchard@cardiff.gov.uk',
        note: 'Produced a bilingual version of the cover note.',
        outcome: 'Cover note issued in Welsh and English',
      },
    ],
  },
  {
    key: 'camden-multilingual-voter-id',
    organisationSlug: 'camden',
    authorEmail: 'daniel.fischer@camden.gov.uk',
    title: 'Countering voter ID misinformation in community languages',
    summary:
      'Short, accurate explanations of the voter ID rules in nine community languages, recorded as voice notes and short videos by local residents, and shared through the messaging groups where the misinformation was circulating.',
    problem: `In several communities, voice notes were circulating in community languages claiming that certain forms of ID would be "refused", that people without a passport could not vote, or that the free Voter Authority Certificate "puts you on a government list". The official material was in English and written documents, which did not compete with a friendly voice note from someone people knew.`,
    approach: `- **Listen first:** community partners told us which claims were circulating and in which languages.
- **Match the format:** 60-second voice notes and vertical videos, not leaflets.
- **Trusted voices:** recorded by residents who volunteer with local community organisations, using a script checked by the elections team and by a professional translator.
- **Facts only:** what ID is accepted, how to apply for a free Voter Authority Certificate, the deadline, and where to get help. No reference to candidates or campaigns.
- **Shared through partners** into the same messaging groups, and posted on the council's channels with subtitles.`,
    outcomes: `- Material produced in 9 languages; voice notes forwarded an estimated 12,000 times according to partners.
- Voter Authority Certificate applications from the borough were 60% higher than at the previous comparable election.
- The number of voters turned away without ID at polling stations fell by around a third.`,
    resources: [
      { title: "GOV.UK – Photo ID you'll need to vote", url: 'https://www.gov.uk/how-to-vote/photo-id-youll-need' },
      { title: 'GOV.UK – Apply for a Voter Authority Certificate', url: 'https://www.gov.uk/apply-for-photo-id-voter-authority-certificate' },
    ],
    tags: ['Voter information', 'Disinformation', 'Communications'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 207,
    comments: [
      {
        authorEmail: 'kadri.tamm@tallinnlv.ee',
        body: "We face a similar challenge with Russian-language messaging groups. Using residents' own voices rather than official accounts is a lesson we learned too.",
      },
    ],
    adoptions: [
      {
        memberEmail: 'hannah.brierley@leeds.gov.uk',
        note: 'Recorded voice notes in four languages with our trusted messenger partners.',
        outcome: 'Shared through 20 community groups',
      },
    ],
  },
  {
    key: 'camden-hustings-security',
    organisationSlug: 'camden',
    authorEmail: 'olivia.mensah@camden.gov.uk',
    title: 'Safety guidance for hustings organisers',
    summary:
      'A two-page checklist for community groups organising hustings, agreed with the police, covering venue choice, stewarding, handling disruption and what to do if a candidate is threatened.',
    problem: `Hustings are mostly organised by community groups, faith organisations and residents' associations, not by the council. Organisers asked us for advice after a meeting where protesters disrupted proceedings and a candidate was followed to their car. The council does not run hustings, but organisers naturally turned to the elections office for help.`,
    approach: `- **A checklist, not rules:** venue with two exits and a separate entrance for candidates if possible; named stewards; a chair briefed on how to pause a meeting; a plan for candidates to arrive and leave safely.
- **Police input:** the local policing team reviewed the checklist and offered a contact for organisers of larger events.
- **Share details with the police in advance** for events likely to attract protest.
- **Candidate briefing:** candidates are told where to find the checklist and encouraged to ask organisers whether it has been followed.
- **No vetting of events by the council**, to stay clear of any impression of controlling political debate.`,
    outcomes: `- Checklist downloaded 230 times; sent directly to 38 known organisers.
- 11 organisers contacted the local policing team in advance of events.
- No serious incidents reported at hustings at the last borough elections.`,
    resources: [],
    tags: ['Candidate safety', 'Physical security', 'Partnerships'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 116,
    comments: [
      {
        authorEmail: 'mikko.laine@hel.fi',
        body: 'The point about not vetting events is important; in Finland the city would also want to avoid any impression of deciding which debates take place.',
      },
    ],
  },
  {
    key: 'camden-candidate-abuse-log',
    organisationSlug: 'camden',
    authorEmail: 'ruth.adeyemi@camden.gov.uk',
    title: 'Recording abuse reported by candidates: internal log and referral thresholds',
    summary:
      'How we record reports of abuse and intimidation received from candidates and agents, who sees the log, and the thresholds for referral to the police. AMBER+STRICT because it contains personal data handling details and internal thresholds.',
    problem: `Candidates reported abuse to whoever they happened to know at the council: the elections office, ward councillors' support officers, or the communications team. Reports were not recorded consistently, some were not passed on to the police, and there was no way to see patterns across the borough.`,
    approach: `- **One log**, held by the elections office, access-controlled to four named officers.
- **Minimum data:** date, candidate reference (not name), channel, nature of the abuse, evidence held, action taken, police reference if any.
- **Thresholds:** threats of violence, threats to family, or anything at a home address is referred to the police immediately; repeated online abuse is discussed with the candidate and referred if they agree.
- **Retention:** deleted six months after the declaration unless linked to an ongoing investigation.
- **Weekly review** by the deputy returning officer to spot patterns.`,
    outcomes: `- 27 reports logged at the last borough elections, 9 referred to the police.
- One pattern of coordinated abuse against several candidates was identified and passed to the police as a single case.`,
    resources: [],
    tags: ['Candidate safety', 'Social media', 'Data protection'],
    language: 'en',
    visibility: 'TLP_AMBER_STRICT',
    status: 'PUBLISHED',
    publishedDaysAgo: 101,
    comments: [
      {
        authorEmail: 'daniel.fischer@camden.gov.uk',
        body: 'Could we record the police crime reference automatically when the referral is made?',
        replies: [
          { authorEmail: 'ruth.adeyemi@camden.gov.uk', body: 'Not automatically, but I have made the field mandatory when the entry is marked as referred.' },
        ],
      },
    ],
  },
  {
    key: 'camden-redact-before-sharing',
    organisationSlug: 'camden',
    authorEmail: 'daniel.fischer@camden.gov.uk',
    title: 'Redacting and defanging before you share an incident write-up',
    summary:
      'Our checklist for turning an internal incident report into something safe to share on Practice Exchange or with other councils: remove personal data, defang malicious links and addresses, and describe harmful content rather than pasting it.',
    problem: `The first time we shared a phishing write-up with neighbouring councils, it contained a live malicious link, the full name of a poll clerk and a screenshot that showed part of the electoral register. Nobody was harmed, but the write-up had to be recalled and reissued, and the moderators rightly asked us to tighten up.`,
    approach: `1. **Remove personal data.** Replace names with roles ("a poll clerk", "the candidate"), and remove elector numbers, addresses and phone numbers.
2. **Defang indicators.** Write links and addresses so they cannot be clicked by accident, for example hxxps://fake-postal-vote[.]example and 203.0.113[.]7.
3. **Describe, don't attach.** Describe malicious attachments (file type, name pattern, what happens when opened) instead of attaching them.
4. **Describe harmful markup in words.** Never paste links like <script>alert(1)</script> into posts. If you need to show what a malicious payload looked like, explain what it did; the moderator guide treats raw markup in a post as something to query.
5. **Check the label.** Decide the TLP label before writing, and write for that audience.
6. **Strip metadata** from screenshots and documents.
7. **A second pair of eyes** from someone who was not involved in the incident.`,
    outcomes: `- 11 write-ups shared using the checklist, none rejected or recalled by moderators.
- Average time to prepare a write-up for sharing fell from about a day to under two hours.`,
    resources: [
      { title: 'NCSC – Incident management collection', url: 'https://www.ncsc.gov.uk/collection/incident-management' },
      { title: 'ICO – Guide to data protection for organisations', url: 'https://ico.org.uk/for-organisations/' },
    ],
    tags: ['Data protection', 'Training', 'Threat intelligence'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 45,
    comments: [
      {
        authorEmail: 'nadia.kowalska@cabinetoffice.gov.uk',
        body: 'From the moderation side: thank you. Defanged indicators and role-based names save a lot of back and forth before we can approve a post.',
      },
      {
        authorEmail: 'lisa.harper@serocu.police.uk',
        body: 'Suggest adding: strip metadata from screenshots and documents, which often include the author and device.',
        replies: [{ authorEmail: 'daniel.fischer@camden.gov.uk', body: 'Good point, added as step 6.' }],
      },
    ],
    adoptions: [
      {
        memberEmail: 'claire.bunting@norfolk.gov.uk',
        note: 'Circulated the checklist to all district elections teams.',
        outcome: 'Used for every shared incident report since',
      },
      {
        memberEmail: 'egle.petrauskiene@vilnius.lt',
        note: 'Translated the checklist for our IT and communications teams.',
        outcome: 'Part of our information-sharing procedure',
      },
    ],
  },
  // ---------------------------------------------------------------- Norfolk
  {
    key: 'norfolk-district-cyber-baseline',
    organisationSlug: 'norfolk',
    authorEmail: 'claire.bunting@norfolk.gov.uk',
    title: 'A common cyber baseline for the seven district returning officers',
    summary:
      'County elections in Norfolk are run by seven district returning officers on seven different IT estates. We agreed a one-page cyber baseline for elections, and a simple self-assessment that each district completes before the notice of election.',
    problem: `The county council is accountable for the county elections but does not run the IT that district elections teams use. Before the baseline, we had no shared view of whether elections mailboxes used MFA, whether backups of the register were tested, or who to call at each district out of hours. A ransomware incident at any one district could have disrupted the county poll.`,
    approach: `- **Twelve controls on one page**, including: MFA on all elections accounts, tested offline backups of the register and election data, a named out-of-hours IT contact, patching of internet-facing systems within 14 days, and a tested incident plan.
- **Self-assessment** in a shared spreadsheet, red/amber/green, completed by each district's elections manager and IT lead together.
- **Support, not audit:** the county IT security team offered help on any red item, and two districts took up an offer of a free external vulnerability scan.
- **Re-assessed** three months before each scheduled election.
- **A shared contact sheet** for all seven districts, the county and the police cyber unit.`,
    outcomes: `- At first assessment: 47 green, 29 amber and 8 red controls across seven districts. Before polling day: 71 green, 13 amber, no red.
- Every district now has a tested backup of the register.
- The contact sheet was used twice during the election period, once for a suspected phishing campaign affecting three districts at the same time.`,
    resources: [
      { title: 'NCSC – Cyber Assessment Framework', url: 'https://www.ncsc.gov.uk/collection/cyber-assessment-framework' },
      { title: 'NCSC – Offline backups in an online world', url: 'https://www.ncsc.gov.uk/blog-post/offline-backups-in-an-online-world' },
    ],
    tags: ['Cyber resilience', 'Partnerships', 'Election administration'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 284,
    comments: [
      {
        authorEmail: 'sarah.okafor@kent.gov.uk',
        body: 'We are trying the same across Kent. Did any district push back on sharing red ratings with the others?',
        replies: [
          {
            authorEmail: 'claire.bunting@norfolk.gov.uk',
            body: 'One did, at first. We agreed that only the county would see individual ratings and the group would see the totals. After one round, everyone was happy to share.',
          },
        ],
      },
      {
        authorEmail: 'alistair.greaves@communities.gov.uk',
        body: 'This is a useful model for two-tier areas. We would be interested in the twelve controls as an input to national guidance.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'priya.chauhan@kent.gov.uk',
        note: 'Used the twelve controls and the self-assessment spreadsheet with the Kent district elections teams.',
        outcome: 'Rolled out to all 12 districts before May',
      },
      {
        memberEmail: 'alistair.greaves@communities.gov.uk',
        note: 'Used the controls as a starting point for draft guidance for two-tier areas.',
        outcome: 'Reflected in draft national guidance',
      },
    ],
  },
  {
    key: 'norfolk-police-tabletop',
    organisationSlug: 'norfolk',
    authorEmail: 'stephen.lowe@norfolk.gov.uk',
    title: 'An annual tabletop exercise with the police before the elections',
    summary:
      'A half-day exercise, held two months before polling day, in which elections teams, the police, IT and communications work through a realistic scenario together. Each exercise produces a short list of actions, owned by named people, to complete before the poll.',
    problem: `Elections teams, the police and IT teams each had plans, but had rarely tested them together. When a suspicious package was left outside a polling station at a previous election, nobody was sure whether the presiding officer, the police or the returning officer decided whether to suspend the poll.`,
    approach: `- **Scenario built from real events,** unfolding in injects every 20 minutes: a phishing email to the elections mailbox, a fake polling station closure notice on social media, a suspicious package at a station, and the electoral management system becoming unavailable on the morning of polling day.
- **The right people in the room:** deputy returning officers, elections managers, the police elections single point of contact, IT security, communications, and emergency planning.
- **A facilitator from outside the organisation** (in our case the regional police cyber unit), so that everyone can take part.
- **Decisions written down** as they are made, then compared with the plans.
- **A short action list** with owners and deadlines before polling day, reviewed at the next elections steering group.`,
    outcomes: `- 41 participants from 11 organisations at the last exercise.
- 14 actions identified; 13 completed before polling day, including a clear decision-making chart for suspending a poll.
- At the real poll, a polling station evacuation was handled in 35 minutes using the chart.`,
    resources: [{ title: 'NCSC – Exercise in a Box', url: 'https://www.ncsc.gov.uk/information/exercise-in-a-box' }],
    tags: ['Incident response', 'Partnerships', 'Training'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 239,
    comments: [
      {
        authorEmail: 'ian.mcgregor@serocu.police.uk',
        body: 'We are happy to provide the cyber inject and facilitation for any council in the region; it is a good way for us to meet the elections teams before we need to.',
        replies: [{ authorEmail: 'stephen.lowe@norfolk.gov.uk', body: 'Having an outside facilitator made a real difference. Thank you for last year.' }],
      },
    ],
    adoptions: [
      {
        memberEmail: 'tamsin.penrose@cornwall.gov.uk',
        note: 'Ran our first joint exercise with the police using the same four injects.',
        outcome: 'First joint exercise held; 9 actions agreed',
      },
      {
        memberEmail: 'mikko.laine@hel.fi',
        note: 'Added a fake polling station closure inject to our preparedness exercise.',
        outcome: 'Included in the pre-election exercise',
      },
    ],
  },
  {
    key: 'norfolk-fake-results-graphics',
    organisationSlug: 'norfolk',
    authorEmail: 'claire.bunting@norfolk.gov.uk',
    title: 'Spotting and answering fake results graphics that copy council branding',
    summary:
      'On results night, images styled like our official results cards showed invented figures for several divisions before counting had finished. We now publish results only in a format that is hard to imitate convincingly and link every card to the official results page.',
    problem: `Fake results graphics, using our logo, fonts and colours, were posted while counting was still under way, showing invented figures for four divisions. Some were shared by people who believed them, and one local news site briefly repeated a figure. Our real results cards were simple images that were easy to copy.`,
    approach: `- **Every official results card carries the URL of the official results page**, and the page is the single source of truth; cards are published only after the figures appear on the page.
- **Publishing order is fixed:** the declaration, then the results page, then the card, then social media.
- **A monitoring officer on results night** searching for our branding and division names.
- **A prepared reply:** "This image is not from Norfolk County Council. Official results are published only at [results page] after each declaration."
- **Local media briefed** in advance on where official results appear.`,
    outcomes: `- At the next elections, 6 fake graphics were spotted and answered, median 18 minutes after first appearing.
- No local media outlet repeated a fake figure.
- Visits to the official results page on results night rose by 70%.`,
    resources: [],
    tags: ['Disinformation', 'Social media', 'Count integrity'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 23,
    comments: [
      {
        authorEmail: 'tom.ashworth@manchester.gov.uk',
        body: 'We watermark our cards with a short link too. The fixed publishing order is the bit that really helps: journalists learn that the card never comes first.',
        replies: [
          {
            authorEmail: 'claire.bunting@norfolk.gov.uk',
            body: 'Agreed. We briefed local newsrooms on the order beforehand and they used the results page as their source.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'tom.ashworth@manchester.gov.uk',
        note: 'Fixed our publishing order and added the results page link to every card.',
        outcome: 'Used for the city council elections',
      },
      {
        memberEmail: 'owain.llewellyn@caerdydd.gov.uk',
        note: 'Adopted the publishing order and a bilingual prepared reply.',
        outcome: 'Used at the council elections count',
      },
    ],
  },
  {
    key: 'norfolk-count-laptop-lockdown',
    organisationSlug: 'norfolk',
    authorEmail: 'stephen.lowe@norfolk.gov.uk',
    title: 'Locking down count-centre laptops and removable media',
    summary:
      'Draft: a build standard for the laptops used at count centres to calculate and publish results, including disabling USB storage, a separate network and a results-publishing procedure that needs two people.',
    problem: `Count-centre laptops are borrowed from general stock a few days before the count and returned afterwards. Results spreadsheets are moved on USB sticks, and the same laptop is sometimes used for email and results.`,
    approach: `- A dedicated image for count laptops, with USB storage disabled.
- A separate mobile network for results publishing, not the venue Wi-Fi.
- Two-person rule for entering and publishing results.
- Laptops wiped and reimaged after the count.`,
    outcomes: `To be piloted at the next county by-election.`,
    resources: [],
    tags: ['Cyber resilience', 'Count integrity'],
    language: 'en',
    visibility: 'TLP_AMBER_STRICT',
    status: 'DRAFT',
  },
  // ---------------------------------------------------------------- Cardiff
  {
    key: 'cardiff-welsh-language-voter-info',
    organisationSlug: 'cardiff',
    authorEmail: 'rhian.pritchard@cardiff.gov.uk',
    title: 'Bilingual voter information that treats Welsh and English equally, including the rebuttals',
    summary:
      'All our voter information is published in Welsh and English at the same time and with equal prominence, including corrections of false claims. Publishing a correction in English first had left Welsh-speaking audiences with the false version for longer.',
    problem: `Our routine voter information was already bilingual, but when we needed to correct a false claim quickly, the English version went out first and the Welsh followed hours later. Welsh-language groups and pages continued to share the false claim in the meantime, and some residents reasonably asked why the correction did not reach them.`,
    approach: `- **Translate ahead of time:** the rebuttal templates and holding lines are translated and approved in both languages before the election period.
- **A Welsh-speaking officer on the communications rota** every day of the election period and on polling day, so that new wording can be approved in both languages at once.
- **Publish together:** both versions are posted at the same moment, with Welsh first on alternate days, in line with our Welsh Language Standards.
- **Plain language in both:** we test wording with Welsh-speaking residents, not just translators, so that it reads naturally.
- **Polling station signage and staff badges** show which staff can help in Welsh.`,
    outcomes: `- The time between English and Welsh versions of urgent corrections fell from about four hours to zero.
- Engagement with Welsh-language posts increased by about 45%.
- No complaints about the Welsh Language Standards during the last election period.`,
    resources: [
      { title: 'Electoral Commission – Information for voters in Wales', url: 'https://www.electoralcommission.org.uk/cy' },
      { title: 'GOV.UK – Register to vote (Welsh)', url: 'https://www.gov.uk/cofrestru-i-bleidleisio' },
    ],
    tags: ['Voter information', 'Welsh language', 'Communications'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 179,
    comments: [
      {
        authorEmail: 'fiona.macleod@edinburgh.gov.uk',
        body: 'We would like to do something similar for Gaelic. How did you find the Welsh-speaking residents to test wording?',
        replies: [
          {
            authorEmail: 'rhian.pritchard@cardiff.gov.uk',
            body: "Through the local Welsh-language community centre and a Welsh-medium secondary school's parents' group. Both were keen to help.",
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'aino.virtanen@hel.fi',
        note: 'Finnish and Swedish are both official in Helsinki; we now translate correction templates into both languages in advance.',
        outcome: 'Simultaneous Finnish and Swedish corrections',
      },
      {
        memberEmail: 'egle.petrauskiene@vilnius.lt',
        note: 'Prepared correction templates in Lithuanian and Polish before the elections.',
        outcome: 'Templates ready for the municipal elections',
      },
    ],
  },
  {
    key: 'cardiff-bilingual-rebuttal-templates',
    organisationSlug: 'cardiff',
    authorEmail: 'owain.llewellyn@caerdydd.gov.uk',
    title: 'Pre-approved bilingual rebuttal templates for the most common false claims',
    summary:
      'A bank of 20 short, pre-approved rebuttals in Welsh and English covering the false claims we see every election, from "you can vote twice if you have two homes" to "pencils let them change your vote".',
    problem: `Writing a correction under pressure takes time, and each new wording needs legal and returning officer sign-off. The same dozen or so claims come up every election, yet we were drafting a fresh answer each time.`,
    approach: `- **Collect the claims:** we reviewed our logs from three previous elections and asked neighbouring councils for theirs.
- **Write once, approve once:** each template is checked by the elections manager and legal services, and signed off by the returning officer before the notice of election.
- **Short and factual:** each rebuttal is under 50 words and links to an official source.
- **Two tones:** a neutral version for our own channels and a friendlier version for replying to individual residents.
- **A simple index** so that the person on the rota can find the right template in seconds.`,
    outcomes: `- 20 templates in both languages; 14 used during the last election period.
- Median time to publish a correction fell from 2 hours to 20 minutes.`,
    resources: [],
    tags: ['Disinformation', 'Communications', 'Welsh language'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 142,
    comments: [
      {
        authorEmail: 'joanna.price@communities.gov.uk',
        body: 'The two tones idea is helpful. Replies to individual residents that sound like a press release rarely land well.',
      },
    ],
  },
  {
    key: 'cardiff-count-accreditation-checks',
    organisationSlug: 'cardiff',
    authorEmail: 'owain.llewellyn@caerdydd.gov.uk',
    title: 'Checking count accreditation applications before the night',
    summary:
      'All applications to attend the count are checked against the rules on who may attend, and against identity documents, before badges are printed. Shared as AMBER because it describes our checking steps and the reasons applications have been refused.',
    problem: `Applications to attend the count as observers and guests had grown, and several applications contained inconsistent details. At a previous count, a person accredited as a guest was later found to have provided a false name and to have filmed the count floor for a channel that published misleading claims about the count.`,
    approach: `- **A closing date** for applications well before the count, published in the candidates' and agents' pack.
- **Checks on every application:** the legal basis for attendance, a named sponsor for guests, and photo ID presented on the night matching the application.
- **Accredited observers** are checked against the Electoral Commission's list.
- **Clear conditions of attendance,** including the rules on filming, signed on arrival.
- **Refusals recorded** with the reason and reviewed by the returning officer.`,
    outcomes: `- 412 applications checked at the last count; 9 refused, all for incomplete details.
- No one was asked to leave the count for breaching the conditions of attendance.`,
    resources: [
      { title: 'Electoral Commission – Accredited electoral observers', url: 'https://www.electoralcommission.org.uk/accredited-electoral-observers' },
    ],
    tags: ['Count integrity', 'Physical security', 'Election administration'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['edinburgh', 'cabinet-office-des'],
    status: 'PUBLISHED',
    publishedDaysAgo: 83,
    comments: [
      {
        authorEmail: 'callum.baird@edinburgh.gov.uk',
        body: 'The signed conditions of attendance are a good idea. We currently just hand them out, and people claim not to have read them.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'callum.baird@edinburgh.gov.uk',
        note: 'Introduced signed conditions of attendance and a closing date for applications.',
        outcome: 'In place for the council by-elections',
      },
    ],
  },
  // ---------------------------------------------------------------- Edinburgh
  {
    key: 'edinburgh-ecount-explainer',
    organisationSlug: 'edinburgh',
    authorEmail: 'fiona.macleod@edinburgh.gov.uk',
    title: 'Explaining the electronic count before anyone asks',
    summary:
      'Scottish council elections use the single transferable vote and are counted electronically. We publish a plain-language explainer, a short video and a public demonstration before each election, so that the scanners and transfers are not a mystery on the day.',
    problem: `Electronic counting of preference votes is unfamiliar, and misunderstandings are easy to exploit. Claims that "the machines decide the result", that ballots with handwriting are "thrown out", or that "nobody can check the transfers" circulated at previous elections. The explanations we gave on the day were too late and too technical.`,
    approach: `- **A one-page explainer** covering how ballot papers are scanned, how papers the scanner cannot read are checked by people in front of candidates and agents, and how the transfers work.
- **A three-minute video** filmed at the count centre during testing.
- **A public demonstration** of the scanners for candidates, agents and the press two weeks before polling day.
- **Full stage-by-stage results**, including every transfer, published after each declaration.
- **Answers to the five most common questions** ready to post from the official account.`,
    outcomes: `- The explainer video was viewed 48,000 times before polling day.
- 36 people attended the public demonstration, including journalists from four outlets.
- Claims that "the machines decide" were logged 3 times, compared with 19 at the previous council elections.`,
    resources: [{ title: 'Electoral Commission – Scottish council elections', url: 'https://www.electoralcommission.org.uk/scottish-council-elections' }],
    tags: ['Count integrity', 'Voter information', 'Disinformation'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 322,
    comments: [
      {
        authorEmail: 'kadri.tamm@tallinnlv.ee',
        body: 'Estonia has similar questions about internet voting. The public demonstration for journalists has been our most effective measure as well.',
      },
      {
        authorEmail: 'hannah.brierley@leeds.gov.uk',
        body: 'Even with a manual count, the stage-by-stage explainer approach would help us. Thank you for sharing the structure.',
      },
    ],
  },
  // ---------------------------------------------------------------- Defending Democracy Election Security Unit
  {
    key: 'des-ioc-bulletin',
    organisationSlug: 'cabinet-office-des',
    authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
    title: 'A fortnightly indicators-of-compromise bulletin for elections teams',
    summary:
      'During election periods we send a fortnightly bulletin of indicators of compromise (sender domains, URLs, file hashes, IP addresses) seen in campaigns targeting elections teams, in a format that IT teams can import directly. Shared as AMBER with the pilot councils and the regional police cyber unit.',
    problem: `Councils were seeing the same phishing domains and malicious attachments days apart, and each had to find and block them separately. Threat intelligence from national sources arrived as long reports that busy council IT teams had no time to read, and some indicators were out of date by the time they were shared.`,
    approach: `- **Short and machine-readable:** a one-page summary for elections managers and an attached CSV and STIX file for IT teams.
- **Only relevant indicators:** campaigns seen targeting elections teams, councillors or candidates in the UK in the last 30 days.
- **Confidence and expiry:** each indicator has a confidence rating and a suggested expiry date, so blocklists do not grow forever.
- **Two-way:** recipients report back sightings and new indicators, which are credited (anonymously) in the next bulletin.
- **Pilot group:** two councils and the regional police cyber unit, before wider rollout.`,
    outcomes: `- 9 bulletins issued over the pilot, with 214 indicators.
- Pilot councils blocked 37 indicators before any internal sighting.
- 41 new indicators were contributed back by recipients, a quarter of them by the police cyber unit.`,
    resources: [{ title: 'NCSC – Early Warning service', url: 'https://www.ncsc.gov.uk/information/early-warning-service' }],
    tags: ['Threat intelligence', 'Cyber resilience', 'Partnerships'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['kent', 'manchester', 'serocu-cyber'],
    status: 'PUBLISHED',
    publishedDaysAgo: 63,
    comments: [
      {
        authorEmail: 'sarah.okafor@kent.gov.uk',
        body: 'The ready-to-import CSV saved our IT team hours each fortnight. Could the expiry dates be in a separate column so they can be filtered?',
        replies: [{ authorEmail: 'marcus.reid@cabinetoffice.gov.uk', body: 'Yes, from the next bulletin expiry dates will have their own column.' }],
      },
      {
        authorEmail: 'tom.ashworth@manchester.gov.uk',
        body: 'The confidence ratings help us decide what to block and what just to monitor. Please keep them.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'priya.chauhan@kent.gov.uk',
        note: 'Imported the indicators into our email filtering and web proxy blocklists every fortnight.',
        outcome: 'Blocklists updated within a day of each bulletin',
      },
      {
        memberEmail: 'gareth.holt@manchester.gov.uk',
        note: 'Fed the CSV into our security monitoring service as a watchlist.',
        outcome: 'Two matches detected and blocked',
      },
      {
        memberEmail: 'ian.mcgregor@serocu.police.uk',
        note: 'We now contribute regional indicators in the same format.',
        outcome: 'Regional sightings included in every bulletin',
      },
    ],
  },
  {
    key: 'des-deepfake-playbook',
    organisationSlug: 'cabinet-office-des',
    authorEmail: 'ben.achebe@cabinetoffice.gov.uk',
    title: 'A deepfake response playbook for returning officers',
    summary:
      'A short playbook for returning officers and elections teams faced with synthetic audio, video or images relating to candidates or to the electoral process, setting out what the returning officer should and should not do, who to involve and how to preserve evidence.',
    problem: `Deepfakes of candidates and of electoral officials are now cheap to make. Returning officers asked us what their role was: they are responsible for running the election impartially, not for judging what candidates say, but they are often the first official body the public and press turn to.`,
    approach: `- **Two kinds of deepfake:** content about candidates (the returning officer stays neutral on the content and focuses on candidate safety and signposting) and content about the process, such as a fake video of an official announcing a polling day change (the returning officer corrects it quickly and firmly).
- **Preserve the evidence:** the earliest available copy of the original file, with metadata, links and timestamps.
- **Who to call:** the police single point of contact for threats or suspected offences, our unit for suspected coordination or technical assessment, and platforms through established escalation routes.
- **Holding lines** for each scenario, cleared in advance.
- **A worked example** from a council that has been through it.`,
    outcomes: `- Playbook distributed to every returning officer in Great Britain before the last scheduled elections.
- Used in 7 incidents reported to us, 5 concerning candidates and 2 concerning the process; the median time to correct process deepfakes was under 2 hours.`,
    resources: [
      { title: 'GOV.UK – Defending Democracy', url: 'https://www.gov.uk/government/collections/defending-democracy' },
      { title: 'NCSC – Defending Democracy collection', url: 'https://www.ncsc.gov.uk/collection/defending-democracy' },
    ],
    tags: ['Deepfakes', 'Incident response', 'Communications'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 51,
    comments: [
      {
        authorEmail: 'martin.trevithick@cornwall.gov.uk',
        body: 'Having been through one, I would emphasise the distinction between content about candidates and content about the process. It makes the decision about whether to speak much clearer.',
      },
      {
        authorEmail: 'mikko.laine@hel.fi',
        body: 'Could the playbook be shared with partner cities? The scenario about a fake official announcing a change to polling day is very relevant for us.',
        replies: [
          {
            authorEmail: 'ben.achebe@cabinetoffice.gov.uk',
            body: 'Yes, it is GREEN, so please share it within your organisation and with your national election authorities.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'martin.trevithick@cornwall.gov.uk',
        note: 'Replaced our own notes with the playbook and added local contacts.',
        outcome: 'Adopted in the Cornwall election plan',
      },
      {
        memberEmail: 'claire.bunting@norfolk.gov.uk',
        note: 'Included the playbook in the briefing pack for all district returning officers.',
        outcome: 'Briefed to seven district returning officers',
      },
      {
        memberEmail: 'tomas.kazlauskas@vilnius.lt',
        note: 'Adapted the playbook for the municipal election commission.',
        outcome: 'Translated and adopted before the elections',
      },
    ],
  },
  {
    key: 'des-candidate-police-spoc',
    organisationSlug: 'cabinet-office-des',
    authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
    title: 'Making sure every candidate knows their police single point of contact',
    summary:
      'Every police force has a single point of contact for candidate safety during elections. We worked with returning officers to make sure every candidate receives the contact details, and a short explanation of when to use them, with their nomination paperwork.',
    problem: `Candidates who experienced threats or intimidation often did not know who to report them to, or reported them to the elections office, which cannot investigate. Police single points of contact existed in every force, but their details reached candidates inconsistently, sometimes only through party structures, leaving independent candidates without them.`,
    approach: `- **A national template letter** for returning officers to send with every receipt of nomination, with the local police contact details filled in.
- **When to use it:** threats, harassment, intimidation, damage to property, or any concern about personal safety; in an emergency, always 999.
- **Returning officers confirm** to us that the letter has gone to all candidates, so we can spot gaps.
- **Police forces confirm** their contacts are staffed for the whole election period, including the count.
- **A short follow-up survey** of candidates after the election.`,
    outcomes: `- Returning officers in 96% of areas confirmed the letter had been sent to every candidate.
- In the follow-up survey, 81% of candidates knew who their police contact was, up from 46%.`,
    resources: [{ title: 'GOV.UK – Candidate safety guidance', url: 'https://www.gov.uk/government/publications/candidate-safety-guidance' }],
    tags: ['Candidate safety', 'Partnerships', 'Election administration'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 256,
    comments: [
      {
        authorEmail: 'aisha.rahman@manchester.gov.uk',
        body: 'We added the letter to our candidate safety briefing pack, which helped. Could the template also mention agents?',
        replies: [
          {
            authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
            body: 'Good idea; the next version will make clear that agents and campaign staff can use the contact as well.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'aisha.rahman@manchester.gov.uk',
        note: 'Sent the template letter with every receipt of nomination.',
        outcome: 'Letter sent to all 150 candidates',
      },
      {
        memberEmail: 'rhian.pritchard@cardiff.gov.uk',
        note: 'Produced a bilingual version of the template letter.',
        outcome: 'Letter sent in Welsh and English',
      },
      {
        memberEmail: 'fiona.macleod@edinburgh.gov.uk',
        note: "Added the police contact to our candidates' briefing.",
        outcome: 'Contact details in every nomination pack',
      },
    ],
  },
  {
    key: 'des-platform-escalation',
    organisationSlug: 'cabinet-office-des',
    authorEmail: 'ben.achebe@cabinetoffice.gov.uk',
    title: 'Operating the platform escalation channel for election-related fake accounts',
    summary:
      'Internal note on how the unit runs the escalation channel to social media platforms during election periods, including triage criteria, expected response times and how we record outcomes. AMBER+STRICT: unit staff only.',
    problem: `Councils send us reports of fake accounts and false content about the electoral process, which we escalate to platforms. During busy periods reports queued up, duplicates were escalated twice, and outcomes were not always reported back to the council that raised them.`,
    approach: `- **One queue** for all reports, with an owner for each item.
- **Triage:** impersonation of electoral officials and false information about how, when or where to vote take priority; content about candidates is handled under separate criteria.
- **Deduplication** before escalation, by matching account identifiers and URLs.
- **Service levels:** acknowledgement to the council within 4 working hours; escalation to platforms within 1 working day, or 2 hours on polling day.
- **Outcome reporting** to the council and a monthly summary to the platforms' contacts.`,
    outcomes: `- 183 reports handled in the last election period; 61 duplicates merged.
- Median time from report to escalation on polling day: 47 minutes.
- 92% of councils received an outcome for every report they made.`,
    resources: [],
    tags: ['Fake accounts', 'Social media', 'Incident response'],
    language: 'en',
    visibility: 'TLP_AMBER_STRICT',
    status: 'PUBLISHED',
    publishedDaysAgo: 37,
    comments: [
      {
        authorEmail: 'nadia.kowalska@cabinetoffice.gov.uk',
        body: "Can we add a field for the platform's own case reference? It would make the monthly summaries much quicker to reconcile.",
        replies: [{ authorEmail: 'ben.achebe@cabinetoffice.gov.uk', body: 'Added to the queue template from today.' }],
      },
    ],
  },
  {
    key: 'des-hostile-state-briefing',
    organisationSlug: 'cabinet-office-des',
    authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
    title: 'Briefing returning officers on hostile state interference: format and content',
    summary:
      'Draft: a proposed format for an annual unclassified briefing to returning officers on how hostile states have attempted to interfere in elections, and what that means for local preparations.',
    problem: `Returning officers receive threat information from many sources, in different formats and at different levels of detail. Many told us they want fewer, clearer briefings focused on what they should do differently.`,
    approach: `- One unclassified annual briefing, delivered regionally.
- Focused on techniques rather than attribution.
- Each section ends with practical actions for elections teams.`,
    outcomes: `To be agreed with partners before the first briefing.`,
    resources: [],
    tags: ['Threat intelligence', 'Training'],
    language: 'en',
    visibility: 'TLP_AMBER_STRICT',
    status: 'DRAFT',
  },
  // ---------------------------------------------------------------- MHCLG Elections Division
  {
    key: 'mhclg-voter-id-myths',
    organisationSlug: 'mhclg-elections',
    authorEmail: 'joanna.price@communities.gov.uk',
    title: 'Myth-busting voter identification: a shared set of plain-English answers',
    summary:
      'A shared set of short, accurate answers to the most common misconceptions about photo identification at polling stations, which councils can use on their own channels and translate into community languages.',
    problem: `Councils were each writing their own answers to the same questions about voter ID, and some answers were subtly inconsistent (for example on expired documents or photo likeness), which itself fuelled claims that "nobody knows the rules". Inaccurate claims spread faster than councils could correct them.`,
    approach: `- **The 15 most common questions** collected from council call centres and social media teams.
- **One answer for each,** under 60 words, checked against legislation and guidance and cleared with the Electoral Commission.
- **Free to reuse and translate;** councils may adapt the tone but not the facts.
- **Updated** when rules or guidance change, with a version number and date.
- **Short social media versions** and a printable poster for libraries and community centres.`,
    outcomes: `- Used by more than 200 councils at the last scheduled elections.
- Translated by councils into 23 languages.
- Call centres reported shorter call times for voter ID queries.`,
    resources: [
      { title: "GOV.UK – Photo ID you'll need to vote", url: 'https://www.gov.uk/how-to-vote/photo-id-youll-need' },
      { title: 'Electoral Commission – Voter ID', url: 'https://www.electoralcommission.org.uk/voter-id' },
    ],
    tags: ['Voter information', 'Disinformation', 'Election administration'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 340,
    comments: [
      {
        authorEmail: 'daniel.fischer@camden.gov.uk',
        body: 'Having one agreed set of answers made our translations much easier. Could the version number appear on the poster too?',
        replies: [{ authorEmail: 'joanna.price@communities.gov.uk', body: 'Yes, the next print version will show the version number and date in the footer.' }],
      },
    ],
    adoptions: [
      {
        memberEmail: 'daniel.fischer@camden.gov.uk',
        note: 'Translated the answers into our nine community languages.',
        outcome: 'Answers published in 9 languages',
      },
      {
        memberEmail: 'hannah.brierley@leeds.gov.uk',
        note: 'Sent the answers to all trusted messenger partners.',
        outcome: 'Shared with 61 community partners',
      },
    ],
  },
  {
    key: 'mhclg-register-data-handling',
    organisationSlug: 'mhclg-elections',
    authorEmail: 'joanna.price@communities.gov.uk',
    title: 'Handling electoral register requests safely during an election',
    summary:
      'Practical checks for electoral registration officers when supplying the full register and lists of absent voters to those entitled to them, to reduce the risk of supplying data to an impostor or sending it insecurely.',
    problem: `During elections, electoral registration officers supply the full register and absent voter lists to candidates, agents and others entitled to them, often under time pressure. We have seen attempts to obtain register data by impersonating agents or campaign staff, and data sent to the wrong email address.`,
    approach: `- **Verify entitlement and identity:** check the request against the list of nominated candidates and appointed agents, and confirm by phone using a number already held.
- **Send securely:** encrypted files, with the password sent by a different route.
- **Keep a log** of every supply, recording who received which data and when.
- **Remind recipients** in writing of the restrictions on using the data.
- **Report** any suspected impersonation attempt to the police and our unit colleagues.`,
    outcomes: `- Councils piloting the checks detected 6 impersonation attempts in one election period, none successful.
- No reported incidents of register data sent to the wrong recipient in the pilot areas.`,
    resources: [{ title: 'ICO – Guide to the UK GDPR', url: 'https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/' }],
    tags: ['Data protection', 'Election administration'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 198,
    comments: [
      {
        authorEmail: 'imran.qureshi@leeds.gov.uk',
        body: 'The phone call using a number you already hold is the check that caught our impersonation attempt. Simple but effective.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'claire.bunting@norfolk.gov.uk',
        note: 'Shared the checks with every district electoral registration officer.',
        outcome: 'Used by all seven districts',
      },
    ],
  },
  {
    key: 'mhclg-ems-procurement-clauses',
    organisationSlug: 'mhclg-elections',
    authorEmail: 'alistair.greaves@communities.gov.uk',
    title: 'Security clauses for electoral management software contracts',
    summary:
      'Model security clauses that councils can include when procuring or renewing electoral management software, covering remote access, incident notification, vulnerability disclosure and data location. Shared as AMBER with councils in the drafting group.',
    problem: `Contracts for electoral management software were often renewed without revisiting security terms. Several councils found they had no contractual right to be told promptly about a security incident at the supplier, or to know where their data was hosted.`,
    approach: `- **Incident notification** within 24 hours of the supplier becoming aware of an incident affecting the council's data or service.
- **Remote access** only through council-controlled routes with named accounts and MFA.
- **Vulnerability disclosure:** suppliers to operate a published disclosure policy and share remediation plans with customers.
- **Data location** in the UK, with any change requiring the council's agreement.
- **Change freezes** during electoral periods written into the contract.`,
    outcomes: `- Clauses drafted with three councils and tested in two renewals.
- Both renewals agreed with all clauses included, without a price increase.`,
    resources: [{ title: 'NCSC – Supply chain security guidance', url: 'https://www.ncsc.gov.uk/collection/supply-chain-security' }],
    tags: ['Cyber resilience', 'Election administration', 'Partnerships'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['kent', 'norfolk', 'leeds'],
    status: 'PUBLISHED',
    publishedDaysAgo: 109,
    comments: [
      {
        authorEmail: 'stephen.lowe@norfolk.gov.uk',
        body: 'The change freeze clause was the one our supplier resisted most. Framing it around the statutory timetable helped.',
      },
      {
        authorEmail: 'imran.qureshi@leeds.gov.uk',
        body: 'Could we add a clause on the retention and deletion of backups held by the supplier?',
        replies: [{ authorEmail: 'alistair.greaves@communities.gov.uk', body: 'Yes, we will add it in the next draft and circulate it to the group.' }],
      },
    ],
    adoptions: [
      { memberEmail: 'stephen.lowe@norfolk.gov.uk', note: 'Included all five clauses in our contract renewal.', outcome: 'Contract renewed with all clauses' },
    ],
  },
  // ---------------------------------------------------------------- Tallinn
  {
    key: 'tallinn-results-site-ddos',
    organisationSlug: 'tallinn',
    authorEmail: 'kadri.tamm@tallinnlv.ee',
    title: 'Keeping the results and voter information website up under a denial-of-service attack',
    summary:
      'Our election information website was hit by a denial-of-service attack on election day. We now serve it as a static site through a content delivery network, with a tested fallback page, and it stayed up through a larger attack at the next election.',
    problem: `On election day our voter information website, which lists polling places and opening hours, was made unavailable for about 90 minutes by a denial-of-service attack. The site was dynamic and hosted on a single server. Social media posts quickly claimed that "the election system has been hacked", although voting itself was unaffected.`,
    approach: `- **Static by default:** polling place information and results are generated as static pages and served through a content delivery network with denial-of-service protection.
- **No dependency on the back office:** the public site has no connection to internal election systems.
- **A fallback page** hosted with a different provider, ready to be switched in through DNS.
- **Load testing** before each election, coordinated with the national cyber security authority.
- **A prepared message:** "The election information website is temporarily slow. Voting is not affected. Polling places are open as listed on your polling card."`,
    outcomes: `- At the next election an attack about five times larger than the first caused no visible outage.
- Page load time on election day stayed under one second.
- The prepared message was not needed.`,
    resources: [{ title: 'NCSC – Denial of Service (DoS) guidance', url: 'https://www.ncsc.gov.uk/collection/denial-service-dos-guidance-collection' }],
    tags: ['Cyber resilience', 'Voter information', 'Incident response'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 267,
    comments: [
      {
        authorEmail: 'gareth.holt@manchester.gov.uk',
        body: 'How often do you regenerate the static pages on results night?',
        replies: [
          {
            authorEmail: 'martin.kask@tallinnlv.ee',
            body: 'Every two minutes, triggered by the results system, and only after a person has approved each update.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'gareth.holt@manchester.gov.uk',
        note: 'Moved our results pages to a static site behind a content delivery network.',
        outcome: 'Static results pages used for the next count',
      },
      {
        memberEmail: 'egle.petrauskiene@vilnius.lt',
        note: 'Set up a fallback page with a second provider.',
        outcome: 'Fallback tested before the municipal elections',
      },
    ],
  },
  {
    key: 'tallinn-two-language-prebunk',
    organisationSlug: 'tallinn',
    authorEmail: 'martin.kask@tallinnlv.ee',
    title: 'Pre-bunking election myths in Estonian and Russian',
    summary:
      'Before each election we publish short explanations in Estonian and Russian of the voting methods available, how votes are protected and how the results are checked, aimed at the misleading claims we expect to see.',
    problem: `A significant part of Tallinn's population uses Russian-language media, including channels outside Estonia that have spread false claims about elections, such as that internet votes can be altered by officials, or that the rules on who may vote had changed when they had not. Corrections published only in Estonian did not reach the audiences most exposed to these claims.`,
    approach: `- **Predict the myths:** review the claims seen at previous elections and in neighbouring countries.
- **Publish before, not after:** short videos and articles in both languages two to three weeks before voting begins.
- **Explain the process, not the politics:** who can vote in local elections, how to vote in person or online, and how results are verified.
- **Partner with local Russian-language media** to carry the explanations.
- **Monitor and update:** new claims during the campaign get a new short explainer within a day.`,
    outcomes: `- Pre-bunking videos reached an estimated 180,000 people in both languages.
- The city's information line received 40% fewer questions about eligibility than at the previous local elections.`,
    resources: [],
    tags: ['Disinformation', 'Voter information', 'Communications'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 226,
    comments: [
      {
        authorEmail: 'daniel.fischer@camden.gov.uk',
        body: 'Predicting the myths from previous elections is such a simple step. Working with local media in the same language is something we should do more of.',
      },
    ],
  },
  // ---------------------------------------------------------------- Vilnius
  {
    key: 'vilnius-bot-network-reporting',
    organisationSlug: 'vilnius',
    authorEmail: 'egle.petrauskiene@vilnius.lt',
    title: 'Reporting coordinated fake accounts to platforms with a shared evidence format',
    summary:
      'When networks of fake accounts spread false claims about municipal elections, we report them to platforms as a network rather than account by account, using a shared evidence format agreed with the national cyber security centre.',
    problem: `During the municipal election campaign, dozens of newly created accounts posted near-identical claims that polling stations in some districts would be closed. Reporting each account separately through in-app tools achieved little: accounts were removed one at a time and replaced quickly.`,
    approach: `- **Map the network** using only public information: creation dates, posting times, shared images and identical text.
- **One report per network** containing a table of accounts, the shared behaviour and examples, sent through the platforms' election escalation channels.
- **A common format** agreed with the national cyber security centre so that reports from different municipalities can be combined.
- **Correct the claim** on official channels at the same time, without amplifying the fake accounts.
- **Share the pattern** with other municipalities and partner cities.`,
    outcomes: `- 3 networks totalling 212 accounts reported; 187 accounts removed within 72 hours.
- Replacement accounts were detected and reported within a day using the same format.`,
    resources: [],
    tags: ['Fake accounts', 'Social media', 'Threat intelligence'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 154,
    comments: [
      {
        authorEmail: 'marcus.reid@cabinetoffice.gov.uk',
        body: 'Reporting as a network rather than account by account matches our experience. Would you be willing to compare your format with ours?',
        replies: [{ authorEmail: 'egle.petrauskiene@vilnius.lt', body: 'Yes, with pleasure. I will send our template through the partnership contact.' }],
      },
    ],
    adoptions: [
      {
        memberEmail: 'kadri.tamm@tallinnlv.ee',
        note: 'Used the network report format for accounts targeting our local elections.',
        outcome: 'Two networks reported in one week',
      },
      {
        memberEmail: 'sarah.okafor@kent.gov.uk',
        note: 'Added a network table to our impersonation evidence pack.',
        outcome: 'Used for a cluster of six fake accounts',
      },
    ],
  },
  {
    key: 'vilnius-fake-accounts-mapping',
    organisationSlug: 'vilnius',
    authorEmail: 'tomas.kazlauskas@vilnius.lt',
    title: 'Internal method for mapping fake account networks',
    summary:
      'The step-by-step method, tools and thresholds our analysts use to decide that a group of accounts is coordinated. AMBER+STRICT because it describes detection criteria that could be used to evade them.',
    problem: `Decisions about whether accounts were coordinated depended on individual analysts' judgement, which made reports hard to defend when platforms or journalists questioned them.`,
    approach: `- A scoring sheet covering account age, posting rhythm, reused images and copied text.
- Two analysts score each network independently.
- A threshold score before a network is reported externally.`,
    outcomes: `- Agreement between analysts rose from 70% to 94%.
- No externally reported network has been disputed by a platform since the method was introduced.`,
    resources: [],
    tags: ['Fake accounts', 'Threat intelligence'],
    language: 'en',
    visibility: 'TLP_AMBER_STRICT',
    status: 'PUBLISHED',
    publishedDaysAgo: 147,
    comments: [
      {
        authorEmail: 'egle.petrauskiene@vilnius.lt',
        body: 'The second independent score slows us down a little, but it has made our reports much stronger.',
      },
    ],
  },
  {
    key: 'vilnius-school-media-literacy',
    organisationSlug: 'vilnius',
    authorEmail: 'egle.petrauskiene@vilnius.lt',
    title: 'Media literacy sessions on elections for secondary schools',
    summary:
      'Archived: the programme has been taken over by the national education agency. One-hour sessions for older secondary school pupils on how elections work and how to recognise false information about voting.',
    problem: `Many first-time voters get their election information entirely from social media and had never been shown how the voting process works or how to check a claim.`,
    approach: `- A one-hour session delivered by municipal staff and volunteer journalists.
- Real examples of false claims from previous elections.
- A short exercise: check three claims using official sources.`,
    outcomes: `- 74 sessions delivered in 41 schools, reaching about 2,300 pupils.`,
    resources: [],
    tags: ['Disinformation', 'Training', 'Partnerships'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'ARCHIVED',
    publishedDaysAgo: 398,
    comments: [
      {
        authorEmail: 'aino.virtanen@hel.fi',
        body: 'Good to see this continue nationally. The exercise of checking three claims worked very well in our schools too.',
      },
    ],
  },
  // ---------------------------------------------------------------- Helsinki
  {
    key: 'helsinki-situation-room',
    organisationSlug: 'helsinki',
    authorEmail: 'aino.virtanen@hel.fi',
    title: 'A shared election-day situation room with police, rescue services and city IT',
    summary:
      'On election days the city runs a single situation room with the election office, police, rescue services, city IT and communications, so that incidents affecting voting are seen and decided on in one place.',
    problem: `Before the situation room, each organisation ran its own election-day arrangements. A power cut affecting two polling stations was handled by city facilities, while communications learned about it from residents on social media, and the police were not told about a crowd outside one station until it had already dispersed.`,
    approach: `- **One room, one log:** a shared incident log visible to all partners, with a single duty lead from the election office.
- **Fixed representatives** from the police, rescue services, city IT, facilities and communications, present from the opening of polling stations to the end of the count.
- **Common severity levels** and a shared map of polling stations.
- **Regular briefings** every two hours, and immediately for any serious incident.
- **A debrief** within a week, with actions shared between partners.`,
    outcomes: `- 52 incidents handled on the last election day, the most serious resolved in under 30 minutes.
- All polling stations affected by a power cut reopened or moved within 40 minutes, and voters were informed on official channels within 15 minutes.`,
    resources: [],
    tags: ['Incident response', 'Polling day', 'Partnerships'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 288,
    comments: [
      {
        authorEmail: 'priya.chauhan@kent.gov.uk',
        body: 'Having rescue services in the room is something we have not tried. Did they need much briefing on the electoral rules?',
        replies: [
          {
            authorEmail: 'mikko.laine@hel.fi',
            body: 'A short briefing the week before was enough. Their incident management experience helped us more than our rules helped them.',
          },
        ],
      },
    ],
    adoptions: [
      {
        memberEmail: 'tomas.kazlauskas@vilnius.lt',
        note: 'Set up a joint situation room with police and city IT.',
        outcome: 'Situation room ran for the municipal elections',
      },
      {
        memberEmail: 'james.whitfield@kent.gov.uk',
        note: 'Added a facilities representative and a shared station map to our polling day cell.',
        outcome: 'Used at the county elections',
      },
    ],
  },
  // ---------------------------------------------------------------- SEROCU Cyber
  {
    key: 'serocu-ioc-feed',
    organisationSlug: 'serocu-cyber',
    authorEmail: 'lisa.harper@serocu.police.uk',
    title: 'Regional indicator sharing between councils and the police cyber unit',
    summary:
      'A regional channel through which councils and the police cyber unit exchange indicators of compromise and warnings during election periods, with a weekly call. Shared as AMBER with participating councils.',
    problem: `Councils in the region were reporting cyber incidents to the police, but rarely heard what happened next, and they did not see what other councils nearby were experiencing. Several councils were targeted by the same campaign within days of each other.`,
    approach: `- **A secure shared channel** for council IT security and elections leads, moderated by the cyber unit.
- **A weekly 30-minute call** during election periods, with a fixed agenda: new campaigns, indicators, incidents and questions.
- **Indicators shared in a consistent format**, defanged and labelled with TLP.
- **Feedback on reports:** councils are told what happened to their reports, as far as possible.
- **Alignment** with the national bulletin, to avoid duplication.`,
    outcomes: `- 14 councils participating; 96 indicators shared during the last election period.
- 3 campaigns identified as targeting several councils in the region, 2 of them disrupted.`,
    resources: [],
    tags: ['Threat intelligence', 'Cyber resilience', 'Partnerships'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['kent', 'norfolk', 'cornwall'],
    status: 'PUBLISHED',
    publishedDaysAgo: 79,
    comments: [
      {
        authorEmail: 'claire.bunting@norfolk.gov.uk',
        body: "The feedback on what happened to our reports has made a big difference to our staff's willingness to report.",
      },
      {
        authorEmail: 'james.whitfield@kent.gov.uk',
        body: 'Could the weekly call include a five-minute slot for elections managers, not just IT?',
        replies: [{ authorEmail: 'lisa.harper@serocu.police.uk', body: 'Yes, we will add it to the agenda from the next call.' }],
      },
    ],
    adoptions: [
      {
        memberEmail: 'claire.bunting@norfolk.gov.uk',
        note: 'Joined the channel and set up a similar weekly call between Norfolk districts.',
        outcome: 'Weekly call running during election periods',
      },
      { memberEmail: 'tamsin.penrose@cornwall.gov.uk', note: 'Joined the channel for the election period.', outcome: 'Two campaigns blocked on early warning' },
    ],
  },
  {
    key: 'serocu-polling-day-exercise',
    organisationSlug: 'serocu-cyber',
    authorEmail: 'ian.mcgregor@serocu.police.uk',
    title: 'Polling day cyber exercise: a ransomware scenario four weeks out',
    summary:
      'A two-hour exercise for elections teams and council IT, four weeks before polling day, in which ransomware makes the electoral management system unavailable the morning before polling day.',
    problem: `Elections teams and IT teams had separate business continuity plans that assumed the other would cope. Few elections teams had asked what they would do without the electoral management system in the final days before polling day, when it is needed for absent voter lists and polling station registers.`,
    approach: `- **A realistic scenario** unfolding over two hours: ransomware on the council network, the electoral management system offline, a ransom note threatening to publish the register, and media enquiries.
- **Key questions:** can polling station registers be printed from a backup? Can postal vote records be reconstructed? Who decides whether to report the data breach?
- **Elections, IT, communications and information governance** in the same room.
- **Facilitated by the cyber unit,** with police input on reporting and evidence preservation.
- **An action list** with owners and dates.`,
    outcomes: `- Run with 9 councils in the region in one election cycle.
- 6 councils discovered they had no tested offline copy of the polling station registers; all 6 had one by polling day.`,
    resources: [
      { title: 'NCSC – Exercise in a Box', url: 'https://www.ncsc.gov.uk/information/exercise-in-a-box' },
      { title: 'NCSC – Mitigating malware and ransomware attacks', url: 'https://www.ncsc.gov.uk/guidance/mitigating-malware-and-ransomware-attacks' },
    ],
    tags: ['Incident response', 'Training', 'Cyber resilience'],
    language: 'en',
    visibility: 'TLP_GREEN',
    status: 'PUBLISHED',
    publishedDaysAgo: 185,
    comments: [
      {
        authorEmail: 'james.whitfield@kent.gov.uk',
        body: 'The question about printing polling station registers from a backup was a wake-up call for us. We now test it every year.',
      },
    ],
    adoptions: [
      {
        memberEmail: 'james.whitfield@kent.gov.uk',
        note: 'Ran the scenario with our district elections teams.',
        outcome: 'Offline register copies tested in all districts',
      },
      {
        memberEmail: 'hannah.brierley@leeds.gov.uk',
        note: 'Ran the exercise with our IT and information governance teams.',
        outcome: 'Business continuity plan updated',
      },
    ],
  },
  {
    key: 'serocu-account-takeover-recovery',
    organisationSlug: 'serocu-cyber',
    authorEmail: 'lisa.harper@serocu.police.uk',
    title: 'Helping candidates recover hijacked social media accounts',
    summary:
      'A short guide and a support route for candidates whose social media or email accounts are taken over during a campaign, including how to report it, how to warn followers and how to secure accounts before it happens.',
    problem: `During campaigns, several candidates lost control of their social media accounts after clicking on fake "account verification" messages. The hijacked accounts were used to post offensive material, and the candidates spent days trying to recover them while also dealing with the reputational damage.`,
    approach: `- **Before the campaign:** a one-page checklist for candidates, given out with the nomination pack: strong unique passwords, two-step verification, recovery details up to date, and no personal details in public profiles.
- **If it happens:** report to the platform using its hacked account process, warn followers from another account, and keep a record of what was posted.
- **Report to the police** through Action Fraud or the local police contact, particularly if the account was used to post threats or offensive material.
- **Support from the cyber unit** for candidates who cannot recover their account within 24 hours.`,
    outcomes: `- Checklist distributed to candidates in 11 council areas.
- 7 candidates supported to recover accounts, all within 48 hours.`,
    resources: [
      { title: 'NCSC – Recovering a hacked account', url: 'https://www.ncsc.gov.uk/guidance/recovering-a-hacked-account' },
      {
        title: 'NCSC – Cyber security guidance for individuals in public life',
        url: 'https://www.ncsc.gov.uk/collection/defending-democracy/guidance-for-individuals',
      },
    ],
    tags: ['Fake accounts', 'Candidate safety', 'Cyber resilience'],
    language: 'en',
    visibility: 'TLP_CLEAR',
    status: 'PUBLISHED',
    publishedDaysAgo: 9,
    comments: [
      {
        authorEmail: 'olivia.mensah@camden.gov.uk',
        body: 'We included the checklist in our nomination packs. Two candidates said it prompted them to turn on two-step verification for the first time.',
      },
    ],
    adoptions: [
      { memberEmail: 'olivia.mensah@camden.gov.uk', note: 'Added the checklist to every nomination pack.', outcome: 'Checklist in all nomination packs' },
    ],
  },
  {
    key: 'serocu-ransomware-runbook',
    organisationSlug: 'serocu-cyber',
    authorEmail: 'ian.mcgregor@serocu.police.uk',
    title: 'Ransomware runbook for elections teams: the first four hours',
    summary:
      'Draft: a runbook for elections teams covering the first four hours after discovering ransomware during an election period, to be tested with one council before wider sharing.',
    problem: `In the first hours of a ransomware incident, elections teams need to decide quickly whether the poll can continue as planned and what to tell candidates and voters, while IT teams focus on containment.`,
    approach: `- A timeline of decisions for the first four hours.
- Who to call: police, the national cyber security centre and the Defending Democracy unit.
- What to preserve and what not to touch.`,
    outcomes: `To be tested in a joint exercise before the next scheduled elections.`,
    resources: [],
    tags: ['Incident response', 'Cyber resilience'],
    language: 'en',
    visibility: 'TLP_AMBER',
    audienceOrganisationSlugs: ['kent'],
    status: 'DRAFT',
  },
];
