/** Producer library: validated, keyed, batched, acknowledged writes of events to Kafka. */
export { createEventProducer, indexed, type EventProducer, type EventProducerOptions, type ProducerStats } from './producer.js';
export { FAMILY_TOPIC_IDS, keyFor, topicFor, topicIdFor } from './routing.js';
export { createCapacity, type Capacity } from './capacity.js';
