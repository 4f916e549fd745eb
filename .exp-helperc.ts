import { createKafka, ensureTopics } from './sinks/index.js';
import { loadConfig } from './common/config.js';
import { createLogger } from './common/logger.js';
const config = loadConfig();
const prefix = process.argv[2]!;
const kafka = createKafka(config, createLogger({ level: 'error' }));
if (process.argv[3] === 'delete') { const a = kafka.admin(); await a.connect(); const t = (await a.listTopics()).filter((x) => x.startsWith(prefix + '.')); await a.deleteTopics({ topics: t }); await a.disconnect(); console.log('deleted', t.length); }
else console.log(await ensureTopics(kafka, { prefix, partitions: 3, replicationFactor: 1 }));
