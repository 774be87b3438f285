import type { DataCentre } from './dc';
import type { Edition } from './limits';
import type { ModuleDef, ModuleName } from './modules';

/** A CRM user as `GET /users` returns it. */
export interface User {
  id: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  phone: string | null;
  mobile: string | null;
  role: { name: string; id: string };
  profile: { name: string; id: string };
  status: 'active' | 'inactive';
  confirm: boolean;
  zuid: string;
  time_zone: string;
  locale: string;
  country: string;
  type__s: string;
  created_time: string;
}

export type ForecastType = 'Open' | 'Closed Won' | 'Closed Lost';

export interface PipelineStage {
  id: string;
  display_value: string;
  actual_value: string;
  sequence_number: number;
  forecast_type: ForecastType;
  forecast_category: { name: 'Pipeline' | 'Closed' | 'Omitted'; id: string };
}

export interface Pipeline {
  id: string;
  display_value: string;
  actual_value: string;
  default: boolean;
  maps: PipelineStage[];
}

export interface Layout {
  id: string;
  name: string;
  module: ModuleName;
}

/** Everything about the emulated org that is configuration rather than records. */
export interface Organisation {
  id: string;
  companyName: string;
  timeZone: string;
  edition: Edition;
  dc: DataCentre;
  users: User[];
  /** The user who authorised the integration: owner of the OAuth grants and default record owner. */
  adminUserId: string;
  modules: Map<ModuleName, ModuleDef>;
  layouts: Layout[];
  /** Pipelines of the Deals standard layout. */
  pipelines: Pipeline[];
}

export function moduleDef(org: Organisation, name: ModuleName): ModuleDef {
  const def = org.modules.get(name);
  if (!def) throw new Error(`module ${name} is not defined`);
  return def;
}

export function userById(org: Organisation, id: string): User | undefined {
  return org.users.find((u) => u.id === id);
}
