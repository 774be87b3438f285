/**
 * Users, org and the settings APIs (fields, layouts, pipelines). The public getters always ask Zoho; the cached
 * views (`phoneFields`, `hasField`, `openStages`, `activeUserIds`) serve the lookups and the calls' decisions, which
 * would otherwise pay for metadata on every call, and follow admin edits within METADATA_TTL_MS.
 */
import { TtlCache } from '../common/ttl-cache';
import { ZohoValidationError } from './errors';
import { fieldOf, zohoErrorOf, type ZohoHttp } from './http';
import type { DealPipeline, ZohoField, ZohoLayout, ZohoModule, ZohoOrg, ZohoPipeline, ZohoUser } from './types';

const METADATA_TTL_MS = 10 * 60_000;
/** The longest a Single Line field holds: a UTM label or client id is never cut short. */
const TEXT_FIELD_LENGTH = 255;

export interface NewTextField {
  apiName: string;
  label: string;
}
const USERS_PAGE = 200;

/** For each pipeline (by actual value), the stage values whose forecast_type is Open. */
export type OpenStages = Map<string, Set<string>>;

export class Metadata {
  private readonly fieldCache = new TtlCache<ZohoField[]>(METADATA_TTL_MS);
  private readonly stageCache = new TtlCache<OpenStages>(METADATA_TTL_MS);
  private readonly activeUserCache = new TtlCache<string[]>(METADATA_TTL_MS);

  constructor(private readonly http: ZohoHttp) {}

  async listUsers(type: 'ActiveUsers' | 'AllUsers' = 'ActiveUsers'): Promise<ZohoUser[]> {
    const users: ZohoUser[] = [];
    for (let page = 1; ; page++) {
      const { body } = await this.http.request({ method: 'GET', path: '/users', params: { type, page, per_page: USERS_PAGE }, subject: `list ${type}` });
      const result = body as { users?: ZohoUser[]; info?: { more_records?: boolean } } | undefined;
      users.push(...(result?.users ?? []));
      if (!result?.info?.more_records) return users;
    }
  }

  /** The ids of the users who may own records: a deactivated user can own nothing, though records still name them. */
  activeUserIds(): Promise<string[]> {
    return this.activeUserCache.get('active', async () => (await this.listUsers('ActiveUsers')).map((user) => user.id));
  }

  async getOrg(): Promise<ZohoOrg> {
    const { body } = await this.http.request({ method: 'GET', path: '/org', subject: 'read org' });
    const org = (body as { org?: ZohoOrg[] } | undefined)?.org?.[0];
    if (!org) throw new Error('Zoho CRM answered /org without an organisation');
    return org;
  }

  async getFields(module: ZohoModule): Promise<ZohoField[]> {
    const { body } = await this.http.request({ method: 'GET', path: '/settings/fields', params: { module }, subject: `read ${module} fields` });
    return (body as { fields?: ZohoField[] } | undefined)?.fields ?? [];
  }

  /**
   * Creates a String (Single Line) custom field under the API name given (A4); returns its id. One field per call,
   * so a refusal (DUPLICATE_DATA, LIMIT_EXCEEDED, …) is a ZohoValidationError naming that field.
   */
  async createTextField(module: ZohoModule, field: NewTextField): Promise<string> {
    const subject = `create ${module} field ${field.apiName}`;
    const { body } = await this.http.request({
      method: 'POST',
      path: '/settings/fields',
      params: { module },
      body: { fields: [{ field_label: field.label, api_name: field.apiName, data_type: 'text', length: TEXT_FIELD_LENGTH }] },
      subject,
    });
    const result = (body as { fields?: { code?: string; details?: { id?: unknown } }[] } | undefined)?.fields?.[0];
    if (result?.code !== 'SUCCESS' || typeof result.details?.id !== 'string') {
      const error = zohoErrorOf({ data: [result] }) ?? { code: 'UNEXPECTED_RESPONSE', message: 'Zoho answered without a result for the field', details: {} };
      throw new ZohoValidationError(error.code, subject, fieldOf(error.details), error.message, error.details);
    }
    return result.details.id;
  }

  async getLayouts(module: ZohoModule): Promise<ZohoLayout[]> {
    const { body } = await this.http.request({ method: 'GET', path: '/settings/layouts', params: { module }, subject: `read ${module} layouts` });
    return (body as { layouts?: ZohoLayout[] } | undefined)?.layouts ?? [];
  }

  async getPipelines(layoutId: string): Promise<ZohoPipeline[]> {
    const { body } = await this.http.request({
      method: 'GET',
      path: '/settings/pipeline',
      params: { layout_id: layoutId },
      subject: `read pipelines of layout ${layoutId}`,
    });
    return (body as { pipeline?: ZohoPipeline[] } | undefined)?.pipeline ?? [];
  }

  /** The pipelines of every Deals layout, named by their display value, as a pipeline rule names them (D4). */
  async dealPipelines(): Promise<DealPipeline[]> {
    const layouts = await this.getLayouts('Deals');
    const pipelines = (await Promise.all(layouts.map((layout) => this.getPipelines(layout.id)))).flat();
    return pipelines.map((pipeline) => ({
      name: pipeline.display_value,
      isDefault: pipeline.default,
      openStages: pipeline.maps.filter((stage) => stage.forecast_type === 'Open').map((stage) => stage.actual_value),
    }));
  }

  cachedFields(module: ZohoModule): Promise<ZohoField[]> {
    return this.fieldCache.get(module, () => this.getFields(module));
  }

  /** api_names of the module's phone-type fields, custom ones included. */
  async phoneFields(module: ZohoModule): Promise<string[]> {
    const fields = await this.cachedFields(module);
    return fields.filter((f) => f.data_type === 'phone').map((f) => f.api_name);
  }

  async hasField(module: ZohoModule, apiName: string): Promise<boolean> {
    const fields = await this.cachedFields(module);
    return fields.some((f) => f.api_name === apiName);
  }

  /**
   * Open stages per pipeline, over every Deals layout. Pipelines are per layout; two layouts may each have a
   * pipeline of the same name, so their open stages are merged under that name.
   */
  openStages(): Promise<OpenStages> {
    return this.stageCache.get('Deals', async () => {
      const open: OpenStages = new Map();
      for (const layout of await this.getLayouts('Deals')) {
        for (const pipeline of await this.getPipelines(layout.id)) {
          const stages = open.get(pipeline.actual_value) ?? new Set<string>();
          for (const stage of pipeline.maps) if (stage.forecast_type === 'Open') stages.add(stage.actual_value);
          open.set(pipeline.actual_value, stages);
        }
      }
      return open;
    });
  }
}
