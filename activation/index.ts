/** Activation (A1–A3): the encrypted credential store, the browser and CLI flows, the admin's choices, the doctor. */
export { activateWithCode, ActivationError, type Activated, type CodeActivation } from './activate';
export { chooseSeniorManager, mapEmployee, mapEmployees } from './choices';
export {
  ActivationStore,
  integrationHealth,
  openActivationStore,
  type ActivationChoices,
  type ActivationStoreOptions,
  type IntegrationHealth,
  type IntegrationStatus,
  type StoredConnection,
} from './credential-store';
export { diagnose, formatProblems, formatSuggestions, formatWarnings, suggestions, gatherDoctorFacts, warnings, type DoctorFacts, type Problem } from './doctor';
export {
  createMissingFields,
  describeFieldCreations,
  describeFieldsToCreate,
  FieldCreationScopeError,
  fieldsToCreate,
  type FieldCreation,
  type FieldToCreate,
} from './field-fixes';
export { effectiveSettings, settingsWithActivation } from './effective-settings';
export { registerActivationRoutes, type ActivationRoutesOptions } from './routes';
export { FIELD_CREATION_SCOPE, REQUESTED_SCOPES, REQUIRED_SCOPES } from './scopes';
export { SealedFileError } from './sealed-file';
