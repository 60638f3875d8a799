/**
 * The demo organisations and people `npm start` creates on an empty database, so that a newcomer
 * can sign in at once in every role. Everything is labelled "demo"; the README lists these
 * sign-ins. Never used in production (config refuses DEMO_DATA=true there).
 */
import type { Role } from '../modules/organisations/index.js';

/** One password for every demo account: long enough for the password policy, and public. */
export const DEMO_PASSWORD = 'demo digicap harbour lantern';

export const DEMO_EMAIL_DOMAIN = 'demo.digicap.example';

export interface DemoOrganisation {
  key: 'trust' | 'icb';
  name: string;
  type: 'trust' | 'icb';
  units: string[][];
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'trust',
    name: 'Demo Hospitals NHS Foundation Trust (demo)',
    type: 'trust',
    units: [
      ['Medicine', 'Cardiology', 'Ward 5'],
      ['Medicine', 'Respiratory'],
      ['Allied Health Professions', 'Physiotherapy'],
      ['Allied Health Professions', 'Dietetics'],
      ['Pharmacy'],
      ['Digital and Data', 'Business Intelligence'],
      // For the synthetic workforce (demo-workforce.ts): teams of 14 to 40.
      ['Medicine', 'Cardiology', 'Ward 6'],
      ['Surgery', 'Theatres'],
      ['Surgery', 'Day Surgery Unit'],
      ['Allied Health Professions', 'Occupational Therapy'],
      ['Digital and Data', 'Clinical Systems'],
      ['Nursing', 'Community Nursing'],
    ],
  },
  {
    key: 'icb',
    name: 'Demo Integrated Care Board (demo)',
    type: 'icb',
    units: [['Primary Care Transformation']],
  },
];

export interface DemoPerson {
  /** What the person is for, as listed in the README. */
  key: string;
  email: string;
  displayName: string;
  platformAdmin?: boolean;
  professionCode?: string;
  workSettingCode?: string;
  archetypeCodes?: string[];
  memberships: { organisation: DemoOrganisation['key']; unit?: string[]; roles: Role[] }[];
}

const email = (local: string) => `${local}@${DEMO_EMAIL_DOMAIN}`;

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    key: 'platform-admin',
    email: email('platform.admin'),
    displayName: 'Pat Morgan (demo platform admin)',
    platformAdmin: true,
    professionCode: 'digital-or-it-professional',
    archetypeCodes: ['D'],
    memberships: [],
  },
  {
    key: 'admin',
    email: email('admin'),
    displayName: 'Alex Shaw (demo organisation admin)',
    professionCode: 'manager-or-leader',
    workSettingCode: 'acute',
    archetypeCodes: ['S', 'D'],
    memberships: [{ organisation: 'trust', roles: ['admin'] }],
  },
  {
    key: 'line-manager',
    email: email('manager.medicine'),
    displayName: 'Morgan Reid (demo line manager, Medicine)',
    professionCode: 'nurse',
    workSettingCode: 'acute',
    archetypeCodes: ['E', 'U'],
    memberships: [{ organisation: 'trust', unit: ['Medicine'], roles: ['line_manager', 'member'] }],
  },
  {
    key: 'line-manager-ahp',
    email: email('manager.ahp'),
    displayName: 'Sam Taylor (demo line manager, Allied Health Professions)',
    professionCode: 'dietitian',
    workSettingCode: 'acute',
    archetypeCodes: ['E', 'U'],
    memberships: [
      {
        organisation: 'trust',
        unit: ['Allied Health Professions'],
        roles: ['line_manager', 'member'],
      },
    ],
  },
  {
    key: 'educator',
    email: email('educator'),
    displayName: 'Jordan Lee (demo educator)',
    professionCode: 'educator-or-researcher',
    workSettingCode: 'university-education',
    archetypeCodes: ['D', 'E'],
    memberships: [{ organisation: 'trust', roles: ['educator'] }],
  },
  {
    key: 'insights-viewer',
    email: email('workforce.lead'),
    displayName: 'Rowan Hughes (demo workforce development lead)',
    professionCode: 'manager-or-leader',
    workSettingCode: 'acute',
    archetypeCodes: ['D'],
    memberships: [{ organisation: 'trust', roles: ['insights_viewer'] }],
  },
  {
    key: 'learner-nurse',
    email: email('priya.sharma'),
    displayName: 'Priya Sharma (demo nurse)',
    professionCode: 'nurse',
    workSettingCode: 'acute',
    archetypeCodes: ['U'],
    memberships: [
      { organisation: 'trust', unit: ['Medicine', 'Cardiology', 'Ward 5'], roles: ['member'] },
    ],
  },
  {
    key: 'learner-doctor',
    email: email('aisha.khan'),
    displayName: 'Dr Aisha Khan (demo doctor)',
    professionCode: 'doctor',
    workSettingCode: 'acute',
    archetypeCodes: ['U', 'D'],
    memberships: [{ organisation: 'trust', unit: ['Medicine', 'Respiratory'], roles: ['member'] }],
  },
  {
    key: 'learner-physio',
    email: email('tom.evans'),
    displayName: 'Tom Evans (demo physiotherapist)',
    professionCode: 'physiotherapist',
    workSettingCode: 'acute',
    archetypeCodes: ['U', 'E'],
    memberships: [
      {
        organisation: 'trust',
        unit: ['Allied Health Professions', 'Physiotherapy'],
        roles: ['member'],
      },
    ],
  },
  {
    key: 'learner-analyst',
    email: email('ben.carter'),
    displayName: 'Ben Carter (demo data analyst)',
    professionCode: 'data-analyst',
    workSettingCode: 'acute',
    archetypeCodes: ['C'],
    memberships: [
      {
        organisation: 'trust',
        unit: ['Digital and Data', 'Business Intelligence'],
        roles: ['member'],
      },
    ],
  },
  {
    key: 'learner-pharmacist-two-organisations',
    email: email('grace.adeyemi'),
    displayName: 'Grace Adeyemi (demo pharmacist, two organisations)',
    professionCode: 'pharmacist',
    workSettingCode: 'community-pharmacy',
    archetypeCodes: ['U'],
    memberships: [
      { organisation: 'trust', unit: ['Pharmacy'], roles: ['member'] },
      { organisation: 'icb', unit: ['Primary Care Transformation'], roles: ['member'] },
    ],
  },
  {
    key: 'admin-icb',
    email: email('admin.icb'),
    displayName: 'Chris Doyle (demo organisation admin, ICB)',
    professionCode: 'manager-or-leader',
    workSettingCode: 'icb-commissioning',
    archetypeCodes: ['S'],
    memberships: [{ organisation: 'icb', roles: ['admin'] }],
  },
];
