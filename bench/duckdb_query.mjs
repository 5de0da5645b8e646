// DuckDB side of the query benchmark (bench/query_bench.py), with DuckDB's default settings
// (threads = cores).
//
// Usage:
//   node duckdb_query.mjs load <input.json> <new.duckdb>
//       Loads wikipedia JSON lines into table `wiki` with Strata's stored schema (__time TIMESTAMP
//       in UTC, the JSON booleans and metroCode as VARCHAR, numbers BIGINT), sorted by day and
//       channel like Strata's PARTITIONED BY DAY CLUSTERED BY channel, then CHECKPOINT.
//       Prints {seconds, count, version, threads, db_file_bytes, sql}.
//   node duckdb_query.mjs run <db.duckdb> <spec.json>
//       spec: {queries: [{name, sql, reference_sql}], runs, warmup, budget_seconds, clock_ticks,
//              idle_wait_seconds, idle_threshold_cores, busy_retries}
//       For each query: one checked run (its rows are printed, converted to JSON: timestamps as
//       ISO-8601 millisecond UTC strings, integers as numbers; also those of reference_sql, the
//       exact answer of an approximate query), `warmup` untimed runs, then up to
//       `runs` timed runs (fewer once `budget_seconds` of timed runs are spent; before them, waits
//       up to idle_wait_seconds for other processes to go quiet, and times again, up to
//       busy_retries times, when they were busy). A timed run is
//       connection.runAndReadAll (execute + fetch every chunk) + getRows (materialise every value).
//       Prints {version, threads, queries: [{name, rows, columns, check_ms, times_ms, error, ...}]}.
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync, statSync } from 'node:fs';

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// The columns of the JSON lines in file order and how they are read: what Strata's EXTEND gives
// them in the ingestion (bench/ingest_bench.py COLUMNS); `time` becomes __time.
const COLUMNS = {
  time: 'TIMESTAMP', channel: 'VARCHAR', cityName: 'VARCHAR', comment: 'VARCHAR',
  countryIsoCode: 'VARCHAR', countryName: 'VARCHAR', isAnonymous: 'VARCHAR', isMinor: 'VARCHAR',
  isNew: 'VARCHAR', isRobot: 'VARCHAR', isUnpatrolled: 'VARCHAR', metroCode: 'VARCHAR',
  namespace: 'VARCHAR', page: 'VARCHAR', regionIsoCode: 'VARCHAR', regionName: 'VARCHAR',
  user: 'VARCHAR', delta: 'BIGINT', added: 'BIGINT', deleted: 'BIGINT',
};

function loadSql(inputPath) {
  const struct = '{' + Object.entries(COLUMNS)
    .map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ') + '}';
  const selectList = Object.keys(COLUMNS)
    .map((name) => (name === 'time' ? '"time" AS __time' : `"${name}"`)).join(', ');
  // The strings end in 'Z': DuckDB converts them to UTC, stored as a plain TIMESTAMP.
  return `CREATE TABLE wiki AS SELECT ${selectList}
  FROM read_json(${quote(inputPath)}, format = 'newline_delimited', columns = ${struct})
  ORDER BY date_trunc('day', "time"), channel, "time"`;
}

async function scalar(connection, sql) {
  return (await connection.runAndReadAll(sql)).getRows()[0][0];
}

async function load(inputPath, dbPath) {
  if (!inputPath || !dbPath || existsSync(dbPath)) {
    console.error('usage: node duckdb_query.mjs load <input.json> <new.duckdb>');
    process.exit(2);
  }
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  const sql = loadSql(inputPath);
  const start = performance.now();
  await connection.run(sql);
  await connection.run('CHECKPOINT');
  const seconds = (performance.now() - start) / 1000;
  const count = Number(await scalar(connection, 'SELECT COUNT(*) FROM wiki'));
  const version = await scalar(connection, 'SELECT version()');
  const threads = Number(await scalar(connection, "SELECT current_setting('threads')"));
  connection.closeSync();
  instance.closeSync();
  console.log(JSON.stringify({ seconds, count, version, threads, db_file_bytes: statSync(dbPath).size, sql }));
}

// A DuckDB value as JSON comparable with Strata's resultFormat "array".
function toJson(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value) : value.toString();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  const kind = value.constructor?.name;
  if ((kind === 'DuckDBTimestampValue' || kind === 'DuckDBTimestampTZValue') && typeof value.micros === 'bigint') {
    const millis = value.micros >= 0n ? value.micros / 1000n : -((-value.micros + 999n) / 1000n);
    return new Date(Number(millis)).toISOString();
  }
  if (kind === 'DuckDBDateValue' && typeof value.days === 'number') {
    return new Date(value.days * 86400000).toISOString();
  }
  return String(value);
}

// Busy CPU seconds of the whole machine (all cores) since boot, from /proc/stat.
function busyCpuSeconds(clockTicks) {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...
  return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / clockTicks;
}

function ownCpuSeconds() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

// Measures how many cores other processes keep busy: machine busy time minus this process's.
function otherLoad(clockTicks) {
  const busy = busyCpuSeconds(clockTicks);
  const own = ownCpuSeconds();
  const start = performance.now();
  return () => {
    const wall = (performance.now() - start) / 1000;
    const ownDelta = ownCpuSeconds() - own;
    return {
      wall, cpuSeconds: ownDelta,
      otherCores: wall > 0 ? Math.max(0, (busyCpuSeconds(clockTicks) - busy - ownDelta) / wall) : null,
    };
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits (at most maxSeconds) until other processes use less than `threshold` cores over 1 s.
async function waitIdle(clockTicks, maxSeconds, threshold) {
  const start = performance.now();
  let cores = null;
  while (true) {
    const measure = otherLoad(clockTicks);
    await sleep(1000);
    cores = measure().otherCores;
    const waited = (performance.now() - start) / 1000;
    if (cores < threshold || waited >= maxSeconds) return { waited, cores };
  }
}

async function timed(connection, sql) {
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const rows = reader.getRows();
  return { ms: performance.now() - start, reader, rows };
}

async function run(dbPath, specPath) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const clockTicks = spec.clock_ticks ?? 100;
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const version = await scalar(connection, 'SELECT version()');
  const threads = Number(await scalar(connection, "SELECT current_setting('threads')"));
  const results = [];
  for (const query of spec.queries) {
    const result = { name: query.name, sql: query.sql, times_ms: [] };
    results.push(result);
    try {
      const check = await timed(connection, query.sql);
      result.check_ms = check.ms;
      result.columns = check.reader.columnNames();
      result.column_types = check.reader.columnTypes().map(String);
      result.rows = check.rows.map((row) => row.map(toJson));
      if (query.reference_sql) {
        // The exact answer an approximate query is checked against (untimed).
        const reference = await timed(connection, query.reference_sql);
        result.reference_rows = reference.rows.map((row) => row.map(toJson));
      }
      // Timed runs; when other processes were busy meanwhile, wait for quiet and time again
      // (at most busy_retries times), keeping the attempt with the least other load.
      const threshold = spec.idle_threshold_cores ?? 0.25;
      result.attempts = [];
      for (let attempt = 0; attempt <= (spec.busy_retries ?? 0); attempt++) {
        const a = { times_ms: [] };
        if (spec.idle_wait_seconds > 0) {
          const idle = await waitIdle(clockTicks, spec.idle_wait_seconds, threshold);
          a.idle_waited_seconds = idle.waited;
          a.idle_cores_before = idle.cores;
        }
        const measure = otherLoad(clockTicks);
        for (let i = 0; i < (spec.warmup ?? 1); i++) await timed(connection, query.sql);
        const measureStart = performance.now();
        let spent = 0;
        while (a.times_ms.length < (spec.runs ?? 5)
               && (a.times_ms.length === 0 || spent < (spec.budget_seconds ?? 300) * 1000)) {
          const { ms } = await timed(connection, query.sql);
          a.times_ms.push(ms);
          spent += ms;
        }
        a.timed_seconds = (performance.now() - measureStart) / 1000;
        // /proc/stat counts in clock ticks: measure other load over at least one second.
        const elapsed = (performance.now() - measureStart) / 1000;
        if (elapsed < 1) await sleep((1 - elapsed) * 1000);
        const load = measure();
        a.load_window_seconds = load.wall;
        a.cpu_seconds = load.cpuSeconds;
        a.other_load_cores = load.otherCores;
        result.attempts.push(a);
        if (a.other_load_cores <= threshold) break;
        console.error(`duckdb ${query.name}: other load ${a.other_load_cores.toFixed(2)} cores, timing again`);
      }
      const best = result.attempts.reduce((x, y) => (y.other_load_cores < x.other_load_cores ? y : x));
      Object.assign(result, best);
    } catch (e) {
      result.error = String(e?.message ?? e);
    }
    console.error(`duckdb ${query.name}: ${result.error ? 'ERROR ' + result.error
      : result.times_ms.map((t) => t.toFixed(1)).join(' ') + ' ms'}`);
  }
  connection.closeSync();
  instance.closeSync();
  console.log(JSON.stringify({ version, threads, db_file_bytes: statSync(dbPath).size, queries: results }));
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'load') await load(...rest);
else if (mode === 'run') await run(...rest);
else {
  console.error('usage: node duckdb_query.mjs load <input.json> <new.duckdb> | run <db.duckdb> <spec.json>');
  process.exit(2);
}
