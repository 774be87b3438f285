/** Data the activities hand to the workflow. Plain, serialisable, free of tokens. */
import type { Settings } from '../matrix/settings-schema';

export interface PipelineInfo {
  name: string;
  isDefault: boolean;
  /** Stage values whose forecast type is Open, in pipeline order. */
  openStages: string[];
}

export interface CrmContext {
  settings: Settings;
  /** The CRM organisation's IANA time zone: due dates and the resend window (R2) are counted in it. */
  timeZone: string;
  pipelines: PipelineInfo[];
  /** The org's Calls module has `Voice_Recording__s` (C1). */
  callRecordingField: boolean;
}
