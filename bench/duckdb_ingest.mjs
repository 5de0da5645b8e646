// DuckDB side of the ingestion benchmark (bench/ingest_bench.py): loads a file of wikipedia JSON
// lines into a table of a new DuckDB database file, sorted by day and channel like Strata's
// PARTITIONED BY DAY CLUSTERED BY channel, with DuckDB's default settings (threads = cores).
//
// Usage: node duckdb_ingest.mjs <input.json> <new.duckdb> [auto]
//   default: read_json with the columns and types given explicitly (what Strata's EXTEND does);
//   "auto":  read_json_auto, letting DuckDB detect the schema.
// Prints one JSON object: seconds (CREATE TABLE through CHECKPOINT), count, db_file_bytes, ...
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync, existsSync } from 'node:fs';

const [inputPath, dbPath, mode = 'explicit'] = process.argv.slice(2);
if (!inputPath || !dbPath || existsSync(dbPath)) {
  console.error('usage: node duckdb_ingest.mjs <input.json> <new.duckdb> [auto]');
  process.exit(2);
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;
// Natural DuckDB types for the JSON values: booleans stay BOOLEAN, metroCode a number.
const columns = {
  time: 'TIMESTAMP', channel: 'VARCHAR', cityName: 'VARCHAR', comment: 'VARCHAR',
  countryIsoCode: 'VARCHAR', countryName: 'VARCHAR', isAnonymous: 'BOOLEAN', isMinor: 'BOOLEAN',
  isNew: 'BOOLEAN', isRobot: 'BOOLEAN', isUnpatrolled: 'BOOLEAN', metroCode: 'BIGINT',
  namespace: 'VARCHAR', page: 'VARCHAR', regionIsoCode: 'VARCHAR', regionName: 'VARCHAR',
  user: 'VARCHAR', delta: 'BIGINT', added: 'BIGINT', deleted: 'BIGINT',
};
const columnsStruct = '{' + Object.entries(columns)
  .map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ') + '}';
const source = mode === 'auto'
  ? `read_json_auto(${quote(inputPath)})`
  : `read_json(${quote(inputPath)}, format = 'newline_delimited', columns = ${columnsStruct})`;
const createSql = `CREATE TABLE wiki AS SELECT * FROM ${source}
  ORDER BY date_trunc('day', "time"), channel, "time"`;

const instance = await DuckDBInstance.create(dbPath);
const connection = await instance.connect();
const value = async (sql) => (await connection.runAndReadAll(sql)).getRows()[0][0];

const start = performance.now();
await connection.run(createSql);
await connection.run('CHECKPOINT');
const seconds = (performance.now() - start) / 1000;

const count = Number(await value('SELECT COUNT(*) FROM wiki'));
const version = await value('SELECT version()');
const threads = Number(await value("SELECT current_setting('threads')"));
connection.closeSync();
instance.closeSync();

console.log(JSON.stringify({
  seconds, count, version, threads, mode, db_file_bytes: statSync(dbPath).size,
  sql: createSql,
}));
