export { stopTestTemporal as default } from './global-setup';
