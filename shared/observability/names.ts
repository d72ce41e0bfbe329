/** The CloudWatch namespace of the app's own metrics (EMF); each carries `service` (the stack) and `outcome`. */
export const METRICS_NAMESPACE = 'Karbor';
