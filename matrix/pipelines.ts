/** D4: which pipeline (and stage) a new deal goes to. */
import type { PipelineRule, Settings } from './settings-schema';
import type { CrmPipeline } from './input';

export interface DealPlacement {
  pipeline: string;
  stage: string;
  /** Why, for the explanation. */
  reason: string;
}

const ruleMatches = (rule: PipelineRule, parameters: Record<string, string>): boolean =>
  parameters[rule.parameter]?.trim() === rule.equals.trim();

/**
 * The first rule whose parameter equals its value wins; without one, the CRM's default pipeline. The stage is the
 * rule's, else the pipeline's first Open stage. Rules naming a pipeline the CRM does not have are passed over
 * (start-up validation reports them, see `validatePipelineRules`). Undefined when the CRM lists no usable pipeline.
 */
export function placeDeal(settings: Settings, parameters: Record<string, string>, pipelines: readonly CrmPipeline[]): DealPlacement | undefined {
  for (const [index, rule] of settings.pipelines.rules.entries()) {
    const pipeline = pipelines.find((candidate) => candidate.name === rule.pipeline);
    const stage = rule.stage ?? pipeline?.openStages[0];
    if (pipeline && stage && ruleMatches(rule, parameters)) {
      return { pipeline: pipeline.name, stage, reason: `pipeline rule ${index + 1}: ${rule.parameter} = '${rule.equals}'` };
    }
  }
  const fallback = pipelines.find((pipeline) => pipeline.isDefault && pipeline.openStages.length > 0) ??
    pipelines.find((pipeline) => pipeline.openStages.length > 0);
  return fallback && { pipeline: fallback.name, stage: fallback.openStages[0], reason: 'no pipeline rule matched: default pipeline' };
}

/** Start-up check of the D4 rules against the CRM's pipelines: each message names the rule and what is wrong. */
export function validatePipelineRules(settings: Settings, pipelines: readonly CrmPipeline[]): string[] {
  return settings.pipelines.rules.flatMap((rule, index) => {
    const pipeline = pipelines.find((candidate) => candidate.name === rule.pipeline);
    const where = `pipelines.rules[${index}]`;
    if (!pipeline) return [`${where}: the CRM has no pipeline '${rule.pipeline}' (it has: ${pipelines.map((p) => p.name).join(', ') || 'none'}).`];
    if (rule.stage && !pipeline.openStages.includes(rule.stage)) {
      return [`${where}: '${rule.stage}' is not an open stage of pipeline '${rule.pipeline}' (open stages: ${pipeline.openStages.join(', ')}).`];
    }
    return [];
  });
}
