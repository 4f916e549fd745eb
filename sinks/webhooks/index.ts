/** Alert webhooks (Alertmanager format) with retries and dead letters. */
export { toAlertmanagerPayload, type AlertmanagerAlert, type AlertmanagerPayload } from './alertmanager-payload.js';
export {
  createWebhookDelivery,
  type DeadLetterSink,
  type DeliveryResult,
  type WebhookDeadLetter,
  type WebhookDelivery,
  type WebhookDeliveryDeps,
} from './webhook-delivery.js';
