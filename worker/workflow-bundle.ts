/**
 * What every workflow bundle of callmatrix is built from: the workflows and the interceptor that refuses call data
 * not encrypted by callmatrix's keys (temporal/refuse-unauthenticated-input.ts). The worker, the production bundle
 * script, the tests and the benches all bundle with these options, so none runs workflows without the interceptor.
 */
export const workflowBundleOptions = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: [require.resolve('../temporal/refuse-unauthenticated-input')],
};
