#include "sql/statement.h"

#include <gtest/gtest.h>

#include "engine/controller.h"

namespace strata::sql {
namespace {

using columnar::ColumnBuilder;
using types::ColumnType;
using types::SqlType;
using types::SqlTypeName;
using types::Value;

// A catalog with one in-memory table `t` (served as a system-style table with rows).
class FakeCatalog : public SqlCatalog {
 public:
  FakeCatalog() {
    ColumnBuilder time(ColumnType::kLong), dim(ColumnType::kString), m(ColumnType::kDouble), l(ColumnType::kLong);
    const char* dims[] = {"a", "b", "a", "", nullptr};
    for (int i = 0; i < 5; ++i) {
      time.AppendLong(946684800000LL + i * 86400000LL);  // 2000-01-01 + i days
      if (dims[i]) dim.AppendString(dims[i]);
      else dim.AppendNull();
      m.AppendDouble(i + 0.5);
      if (i == 2) l.AppendNull();
      else l.AppendLong(i);
    }
    columnar::Frame f;
    f.num_rows = 5;
    f.columns = {time.Finish(), dim.Finish(), m.Finish(), l.Finish()};
    table_.schema = "druid";
    table_.name = "t";
    table_.system = true;
    table_.fields = {{"__time", SqlType::Of(SqlTypeName::kTimestamp), ColumnType::kLong},
                     {"dim", SqlType::Of(SqlTypeName::kVarchar), ColumnType::kString},
                     {"m", SqlType::Of(SqlTypeName::kDouble), ColumnType::kDouble},
                     {"l", SqlType::Of(SqlTypeName::kBigint), ColumnType::kLong}};
    table_.rows = {f};
  }
  Result<std::optional<TableSource>> FindTable(const std::string& schema, const std::string& name) override {
    if ((schema.empty() || schema == "druid") && name == "t") return std::optional<TableSource>(table_);
    return std::optional<TableSource>();
  }

 private:
  TableSource table_;
};

class Collect : public engine::ResultSink {
 public:
  Status Consume(const columnar::Frame& f) override {
    for (int64_t r = 0; r < f.num_rows; ++r) {
      std::string row;
      for (int c = 0; c < f.num_columns(); ++c) row += (c ? "|" : "") + columnar::GetValue(f.column(c), r).ToString();
      rows.push_back(row);
    }
    return Status::OK();
  }
  std::vector<std::string> rows;
};

Result<PlannedStatement> Plan(const std::string& sql, const std::string& context = "{}") {
  FakeCatalog catalog;
  StatementRequest req;
  req.sql = sql;
  req.context = *QueryContext::FromJson(context);
  req.query_id = "q";
  return PlanStatement(req, &catalog);
}

std::vector<std::string> RunSql(const std::string& sql) {
  Result<PlannedStatement> p = Plan(sql);
  EXPECT_TRUE(p.ok()) << sql << ": " << p.status().ToString();
  if (!p.ok()) return {};
  engine::ExecutionOptions o;
  o.max_num_tasks = 3;
  o.temp_dir = "/tmp/strata_statement_test";
  auto ctx = std::make_shared<engine::ExecutionContext>(p->query, o, io::FileSystem::Local(), nullptr, nullptr, nullptr);
  engine::Controller c(ctx);
  Collect sink;
  auto r = c.Run(&sink);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return sink.rows;
}

std::string Error(const std::string& sql, const std::string& context = "{}") {
  Result<PlannedStatement> p = Plan(sql, context);
  EXPECT_FALSE(p.ok()) << sql;
  if (p.ok()) return "";
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidInput) << p.status().ToString();
  return p.status().message();
}

TEST(StatementTest, SelectExpressionsAndNames) {
  Result<PlannedStatement> p = Plan("SELECT dim, m * 2, UPPER(dim) AS u FROM t");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->result_fields.size(), 3u);
  EXPECT_EQ(p->result_fields[0].name, "dim");
  EXPECT_EQ(p->result_fields[1].name, "EXPR$1");
  EXPECT_EQ(p->result_fields[1].type.HeaderName(), "DOUBLE");
  EXPECT_EQ(p->result_fields[2].name, "u");
}

TEST(StatementTest, Queries) {
  EXPECT_EQ(RunSql("SELECT COUNT(*), SUM(l), MIN(m), MAX(dim) FROM t"), (std::vector<std::string>{"5|8|0.5|'b'"}));
  EXPECT_EQ(RunSql("SELECT dim, COUNT(*) AS c FROM t GROUP BY dim ORDER BY c DESC, dim"),
            (std::vector<std::string>{"'a'|2", "NULL|1", "''|1", "'b'|1"}));
  EXPECT_EQ(RunSql("SELECT COUNT(*) FROM t WHERE dim = 'zzz'"), (std::vector<std::string>{"0"}));
  EXPECT_EQ(RunSql("SELECT dim FROM t WHERE __time >= TIMESTAMP '2000-01-03 00:00:00' AND l IS NOT NULL"),
            (std::vector<std::string>{"''", "NULL"}));
  EXPECT_EQ(RunSql("SELECT AVG(l) FROM t"), (std::vector<std::string>{"2.0"}));
  EXPECT_EQ(RunSql("SELECT l FROM t ORDER BY l DESC LIMIT 2 OFFSET 1"), (std::vector<std::string>{"3", "1"}));
  EXPECT_EQ(RunSql("SELECT DISTINCT dim FROM t WHERE dim IS NOT NULL ORDER BY dim"), (std::vector<std::string>{"''", "'a'", "'b'"}));
  EXPECT_EQ(RunSql("SELECT dim, SUM(m) FROM t GROUP BY dim HAVING SUM(m) > 2 ORDER BY 1"),
            (std::vector<std::string>{"NULL|4.5", "''|3.5", "'a'|3.0"}));
  EXPECT_EQ(RunSql("SELECT CASE WHEN l > 2 THEN 'big' ELSE 'small' END, COUNT(*) FROM t GROUP BY 1 ORDER BY 1"),
            (std::vector<std::string>{"'big'|2", "'small'|3"}));
  EXPECT_EQ(RunSql("SELECT COUNT(*) FROM t UNION ALL SELECT 7"), (std::vector<std::string>{"5", "7"}));
  EXPECT_EQ(RunSql("WITH x AS (SELECT dim, l FROM t WHERE l > 0) SELECT COUNT(*) FROM x"), (std::vector<std::string>{"3"}));
  EXPECT_EQ(RunSql("SELECT TIME_FLOOR(__time, 'P1M'), COUNT(*) FROM t GROUP BY 1"), (std::vector<std::string>{"946684800000|5"}));
  EXPECT_EQ(RunSql("SELECT APPROX_COUNT_DISTINCT(dim), COUNT(DISTINCT dim) FROM t"), (std::vector<std::string>{"3|3"}));
}

TEST(StatementTest, IngestionPlanShape) {
  Result<PlannedStatement> p =
      Plan("INSERT INTO dst SELECT __time, dim, l FROM t PARTITIONED BY DAY CLUSTERED BY dim", R"({"maxNumTasks": 3})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->type, StatementType::kInsert);
  EXPECT_EQ(p->datasource, "dst");
  EXPECT_EQ(p->segment_granularity_json, "\"DAY\"");
  ASSERT_EQ(p->query->stages.size(), 2u);
  EXPECT_EQ(p->query->stages[0].processor_type, "scan");
  EXPECT_EQ(p->query->stages[0].shuffle.kind, engine::ShuffleSpec::Kind::kTimeChunk);
  EXPECT_EQ(p->query->stages[1].processor_type, "segmentGenerator");
  EXPECT_EQ(p->clustered_by, std::vector<std::string>{"dim"});

  Result<PlannedStatement> rollup =
      Plan("REPLACE INTO dst OVERWRITE WHERE __time >= TIMESTAMP '2000-01-01' AND __time < TIMESTAMP '2000-01-03' "
           "SELECT FLOOR(__time TO DAY) AS __time, dim, SUM(l) AS s FROM t GROUP BY 1, 2 PARTITIONED BY DAY");
  ASSERT_TRUE(rollup.ok()) << rollup.status().ToString();
  ASSERT_TRUE(rollup->replace_intervals.has_value());
  ASSERT_EQ(rollup->replace_intervals->size(), 1u);
  EXPECT_EQ((*rollup->replace_intervals)[0].ToString(), "2000-01-01T00:00:00.000Z/2000-01-03T00:00:00.000Z");
  ASSERT_EQ(rollup->query->stages.size(), 3u);
  EXPECT_EQ(rollup->query->stages[0].processor_type, "groupByPreShuffle");
  EXPECT_EQ(rollup->query->stages[1].processor_type, "groupByPostShuffle");
  EXPECT_TRUE(rollup->query->stages[2].segment_generator->metrics == std::vector<std::string>{"s"});
}

TEST(StatementTest, IngestionValidationErrors) {
  EXPECT_EQ(Error("INSERT INTO dst SELECT __time, dim FROM t"),
            "Operation [INSERT] requires a PARTITIONED BY to be explicitly defined, but none was found.");
  EXPECT_EQ(Error("REPLACE INTO dst SELECT __time, dim FROM t PARTITIONED BY DAY"),
            "Missing time chunk information in OVERWRITE clause for REPLACE. Use OVERWRITE WHERE <__time based condition> "
            "or OVERWRITE ALL to overwrite the entire table.");
  EXPECT_EQ(Error("INSERT INTO dst OVERWRITE ALL SELECT __time, dim FROM t PARTITIONED BY DAY"),
            "An OVERWRITE clause is not allowed with INSERT statements. Use REPLACE statements if overwriting existing "
            "segments is required or remove the OVERWRITE clause.");
  EXPECT_EQ(Error("INSERT INTO dst SELECT __time, dim FROM t ORDER BY dim PARTITIONED BY DAY"),
            "Cannot use an ORDER BY clause on a Query of type [INSERT], use CLUSTERED BY instead");
  EXPECT_EQ(Error("INSERT INTO dst SELECT __time, dim FROM t LIMIT 10 PARTITIONED BY DAY"),
            "INSERT and REPLACE queries cannot have a LIMIT unless PARTITIONED BY is \"ALL\"");
  EXPECT_EQ(Error("INSERT INTO dst SELECT dim AS __time FROM t PARTITIONED BY DAY"),
            "Field [__time] was the wrong type [VARCHAR], expected TIMESTAMP");
  EXPECT_NE(Error("INSERT INTO dst SELECT __time, dim || 'x' FROM t PARTITIONED BY DAY").find("Insertion requires columns to be named"),
            std::string::npos);
  EXPECT_EQ(Error("INSERT INTO dst SELECT __time, dim, dim FROM t PARTITIONED BY DAY"), "Duplicate field in SELECT: [dim]");
  EXPECT_NE(Error("INSERT INTO dst SELECT __time, dim FROM t PARTITIONED BY 'PT2H'").find("Invalid granularity[PT2H]"),
            std::string::npos);
  EXPECT_EQ(Error("INSERT INTO dst SELECT __time, dim FROM t PARTITIONED BY DAY CLUSTERED BY dim DESC"),
            "Invalid CLUSTERED BY clause [`dim` DESC]: cannot sort in descending order.");
  EXPECT_EQ(Error("INSERT INTO \"a/b\" SELECT __time, dim FROM t PARTITIONED BY DAY"),
            "Invalid value for field [table]: Value [a/b] cannot contain '/'.");
  EXPECT_NE(Error("REPLACE INTO dst OVERWRITE WHERE __time >= TIMESTAMP '2000-01-01 01:00:00' SELECT __time, dim FROM t PARTITIONED BY DAY")
                .find("which is not aligned with PARTITIONED BY granularity"),
            std::string::npos);
  EXPECT_NE(Error("REPLACE INTO dst OVERWRITE WHERE dim = 'a' SELECT __time, dim FROM t PARTITIONED BY DAY")
                .find("OVERWRITE WHERE clause only supports filtering on the __time column"),
            std::string::npos);
  EXPECT_EQ(Error("SELECT 1", R"({"maxNumTasks": 1})"),
            "MSQ context maxNumTasks [1] cannot be less than 2, since at least 1 controller and 1 worker is necessary");
}

TEST(StatementTest, QueryErrorsNameTheProblem) {
  // Validation errors say where, as Druid does.
  EXPECT_EQ(Error("SELECT nope FROM t"), "Column 'nope' not found in any table (line [1], column [8])");
  EXPECT_EQ(Error("SELECT dim, l FROM t GROUP BY dim"), "Expression 'l' is not being grouped (line [1], column [13])");
  EXPECT_EQ(Error("SELECT * FROM missing"), "Object 'missing' not found (line [1], column [15])");
  Result<PlannedStatement> syntax = Plan("SELECT dim FROM\nt WHERE");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("line [2]"), std::string::npos) << syntax.status().message();
  EXPECT_NE(Error("SELECT 1 UNION SELECT 2").find("only 'UNION ALL' is supported"), std::string::npos);
}

TEST(StatementTest, SetStatementsOverrideContext) {
  Result<PlannedStatement> p = Plan("SET sqlTimeZone = 'America/Los_Angeles'; SET maxNumTasks = 4; SELECT 1");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->settings.time_zone_name, "America/Los_Angeles");
  EXPECT_EQ(*p->context.GetLong("maxNumTasks", 2), 4);
}

TEST(StatementTest, Explain) {
  Result<PlannedStatement> p = Plan("EXPLAIN PLAN FOR INSERT INTO dst SELECT __time, dim FROM t PARTITIONED BY ALL");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->type, StatementType::kExplain);
  ASSERT_EQ(p->explain_row.size(), 3u);
  EXPECT_EQ(p->explain_row[2].string_value(),
            R"({"statementType":"INSERT","targetDataSource":{"type":"table","tableName":"dst"},"partitionedBy":{"type":"all"}})");
}

}  // namespace
}  // namespace strata::sql

namespace strata::sql {
namespace {
TEST(StatementTest, NullsSurviveValuesAndProjections) {
  EXPECT_EQ(RunSql("SELECT * FROM (VALUES (NULL, 'x'), (50, 'y'))"), (std::vector<std::string>{"NULL|'x'", "50|'y'"}));
  EXPECT_EQ(RunSql("SELECT l, l IS NULL FROM t WHERE l IS NULL OR l = 0"), (std::vector<std::string>{"0|0", "NULL|1"}));
}
}  // namespace
}  // namespace strata::sql
