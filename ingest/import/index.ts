/** History import: CSV of past builds → build events. */
export { importBuilds, type ImportBuildsOptions, type ImportSummary, type RowError } from './import-builds.js';
export { writeSampleHistoryCsv, type SampleCsvOptions } from './sample-csv.js';
export { OPTIONAL_COLUMNS, REQUIRED_COLUMNS, checkHeader, rowToBuildEvents } from './build-row.js';
