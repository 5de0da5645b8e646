// Tests of the SQL lexer and parser. Most tests print the AST as a compact S-expression (see
// Dump* below) and compare it with the exact expected text; positions and flags are checked field
// by field. The conformance test parses every statement of shared/conformance at run time.
#include "sql/parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sql/lexer.h"

namespace strata::sql {
namespace {

// ---------------------------------------------------------------------------------------------
// AST printing

std::string DumpQuery(const SelectStmt& query);
std::string DumpExpr(const Expr& expr);

std::string QuoteString(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string DumpExprList(const std::vector<ExprPtr>& exprs, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < exprs.size(); ++i) {
    if (i > from) out += ", ";
    out += DumpExpr(*exprs[i]);
  }
  return out;
}

std::string DumpOrder(const std::vector<OrderItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += DumpExpr(*items[i].expr) + (items[i].ascending ? " ASC" : " DESC");
    if (items[i].nulls_first.has_value()) out += *items[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return out;
}

std::string DumpBound(const WindowFrameBound& bound) {
  return bound.offset ? DumpExpr(*bound.offset) + " " + bound.kind : bound.kind;
}

std::string DumpExpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      switch (expr.literal_kind) {
        case LiteralKind::kNull: return "NULL";
        case LiteralKind::kBoolean: return expr.text;
        case LiteralKind::kInteger: return expr.text;
        case LiteralKind::kDecimal: return expr.text + "dec";
        case LiteralKind::kApprox: return expr.text + "approx";
        case LiteralKind::kString: return QuoteString(expr.text);
        case LiteralKind::kTimestamp: return "TIMESTAMP " + QuoteString(expr.text);
        case LiteralKind::kDate: return "DATE " + QuoteString(expr.text);
        case LiteralKind::kTime: return "TIME " + QuoteString(expr.text);
      }
      return "?literal";
    case ExprKind::kIdentifier: {
      std::string out;
      for (size_t i = 0; i < expr.parts.size(); ++i) {
        if (i > 0) out += ".";
        bool quoted = i < expr.quoted.size() && expr.quoted[i];
        out += quoted ? "\"" + expr.parts[i] + "\"" : expr.parts[i];
      }
      return out;
    }
    case ExprKind::kStar: {
      std::string out;
      for (const std::string& part : expr.parts) out += part + ".";
      return out + "*";
    }
    case ExprKind::kParameter: return "?" + std::to_string(expr.param_index);
    case ExprKind::kUnary: return "(" + expr.op + " " + DumpExpr(*expr.args[0]) + ")";
    case ExprKind::kBinary:
      return "(" + expr.op + " " + DumpExpr(*expr.args[0]) + " " + DumpExpr(*expr.args[1]) + ")";
    case ExprKind::kFunction: {
      std::string out = expr.name + "(";
      if (expr.distinct) out += "DISTINCT ";
      for (size_t i = 0; i < expr.args.size(); ++i) {
        if (i > 0) out += ", ";
        if (i < expr.arg_names.size() && !expr.arg_names[i].empty()) out += expr.arg_names[i] + " => ";
        out += DumpExpr(*expr.args[i]);
      }
      if (!expr.within_order.empty()) {
        out += " ORDER BY ";
        for (size_t i = 0; i < expr.within_order.size(); ++i) {
          if (i > 0) out += ", ";
          out += DumpExpr(*expr.within_order[i].first) + (expr.within_order[i].second ? " ASC" : " DESC");
        }
      }
      out += ")";
      if (expr.filter) out += " FILTER(" + DumpExpr(*expr.filter) + ")";
      if (expr.over) {
        const WindowSpec& w = *expr.over;
        std::string spec;
        if (!w.partition_by.empty()) spec += "PARTITION BY " + DumpExprList(w.partition_by);
        if (!w.order_by.empty()) spec += (spec.empty() ? "" : " ") + std::string("ORDER BY ") + DumpOrder(w.order_by);
        if (!w.frame_unit.empty()) {
          spec += (spec.empty() ? "" : " ") + w.frame_unit;
          if (w.frame_end) {
            spec += " BETWEEN " + DumpBound(*w.frame_start) + " AND " + DumpBound(*w.frame_end);
          } else if (w.frame_start) {
            spec += " " + DumpBound(*w.frame_start);
          }
        }
        out += " OVER(" + spec + ")";
      }
      return out;
    }
    case ExprKind::kCast: return "CAST(" + DumpExpr(*expr.args[0]) + " AS " + expr.type_name + ")";
    case ExprKind::kCase: {
      std::string out = "CASE(";
      size_t i = 0;
      if (expr.case_has_operand) out += DumpExpr(*expr.args[i++]);
      size_t end = expr.args.size() - (expr.case_has_else ? 1 : 0);
      for (; i + 1 < end; i += 2) {
        out += " WHEN " + DumpExpr(*expr.args[i]) + " THEN " + DumpExpr(*expr.args[i + 1]);
      }
      if (expr.case_has_else) out += " ELSE " + DumpExpr(*expr.args.back());
      return out + ")";
    }
    case ExprKind::kIsNull:
      return "(" + DumpExpr(*expr.args[0]) + (expr.negated ? " IS NOT NULL)" : " IS NULL)");
    case ExprKind::kIsBool:
      return "(" + DumpExpr(*expr.args[0]) + (expr.negated ? " IS NOT " : " IS ") + expr.bool_value + ")";
    case ExprKind::kLike: {
      std::string out = "(" + DumpExpr(*expr.args[0]) + (expr.negated ? " NOT LIKE " : " LIKE ") +
                        DumpExpr(*expr.args[1]);
      if (expr.args.size() > 2) out += " ESCAPE " + DumpExpr(*expr.args[2]);
      return out + ")";
    }
    case ExprKind::kBetween:
      return "(" + DumpExpr(*expr.args[0]) + (expr.negated ? " NOT" : "") + " BETWEEN " +
             (expr.symmetric ? "SYMMETRIC " : "") + DumpExpr(*expr.args[1]) + " AND " + DumpExpr(*expr.args[2]) + ")";
    case ExprKind::kInList:
      return "(" + DumpExpr(*expr.args[0]) + (expr.negated ? " NOT IN [" : " IN [") + DumpExprList(expr.args, 1) + "])";
    case ExprKind::kInSubquery:
      return "(" + DumpExpr(*expr.args[0]) + (expr.negated ? " NOT IN {" : " IN {") + DumpQuery(*expr.subquery) + "})";
    case ExprKind::kExists: return "EXISTS{" + DumpQuery(*expr.subquery) + "}";
    case ExprKind::kScalarSubquery: return "{" + DumpQuery(*expr.subquery) + "}";
    case ExprKind::kExtract: return "EXTRACT(" + expr.name + " FROM " + DumpExpr(*expr.args[0]) + ")";
    case ExprKind::kFloorCeilTo: return expr.name + "(" + DumpExpr(*expr.args[0]) + " TO " + expr.unit + ")";
    case ExprKind::kArray: return "ARRAY[" + DumpExprList(expr.args) + "]";
    case ExprKind::kRow: return "ROW(" + DumpExprList(expr.args) + ")";
    case ExprKind::kInterval:
      return "INTERVAL " + QuoteString(expr.text) + " " + expr.unit + (expr.unit_to.empty() ? "" : " TO " + expr.unit_to);
  }
  return "?expr";
}

std::string DumpAlias(const TableRef& ref) {
  std::string out;
  if (!ref.alias.empty()) out += " AS " + ref.alias;
  if (!ref.column_aliases.empty()) {
    out += "(";
    for (size_t i = 0; i < ref.column_aliases.size(); ++i) out += (i > 0 ? ", " : "") + ref.column_aliases[i];
    out += ")";
  }
  return out;
}

std::string DumpTableRef(const TableRef& ref) {
  std::string out;
  switch (ref.kind) {
    case TableRefKind::kTable:
      for (size_t i = 0; i < ref.name.size(); ++i) out += (i > 0 ? "." : "") + ref.name[i];
      break;
    case TableRefKind::kSubquery: out = "{" + DumpQuery(*ref.subquery) + "}"; break;
    case TableRefKind::kValues: out = "VALUES{" + DumpQuery(*ref.subquery) + "}"; break;
    case TableRefKind::kFunction: out = "TABLE(" + DumpExpr(*ref.function) + ")"; break;
    case TableRefKind::kUnnest: out = "UNNEST(" + DumpExpr(*ref.function) + ")"; break;
    case TableRefKind::kJoin:
      out = "[" + DumpTableRef(*ref.left) + " " + ref.join_type + " " + DumpTableRef(*ref.right);
      if (ref.join_condition) out += " ON " + DumpExpr(*ref.join_condition);
      if (!ref.using_columns.empty()) {
        out += " USING(";
        for (size_t i = 0; i < ref.using_columns.size(); ++i) out += (i > 0 ? ", " : "") + ref.using_columns[i];
        out += ")";
      }
      return out + "]";
  }
  if (!ref.extend.empty()) {
    out += " EXTEND(";
    for (size_t i = 0; i < ref.extend.size(); ++i) {
      out += (i > 0 ? ", " : "") + ref.extend[i].name + " " + ref.extend[i].type_name;
    }
    out += ")";
  }
  return out + DumpAlias(ref);
}

std::string DumpQuery(const SelectStmt& query) {
  std::string out;
  if (!query.with.empty()) {
    out += "WITH ";
    for (size_t i = 0; i < query.with.size(); ++i) {
      const CommonTableExpr& cte = query.with[i];
      out += (i > 0 ? ", " : "") + cte.name;
      if (!cte.columns.empty()) {
        out += "(";
        for (size_t k = 0; k < cte.columns.size(); ++k) out += (k > 0 ? ", " : "") + cte.columns[k];
        out += ")";
      }
      out += " AS {" + DumpQuery(*cte.query) + "}";
    }
    out += " ";
  }
  if (query.set_op != SetOp::kNone) {
    const char* op = query.set_op == SetOp::kUnionAll   ? "UNION ALL"
                     : query.set_op == SetOp::kUnion     ? "UNION"
                     : query.set_op == SetOp::kIntersect ? "INTERSECT"
                                                         : "EXCEPT";
    out += "(" + DumpQuery(*query.left) + " " + op + " " + DumpQuery(*query.right) + ")";
  } else if (!query.values.empty()) {
    out += "VALUES ";
    for (size_t i = 0; i < query.values.size(); ++i) out += (i > 0 ? ", (" : "(") + DumpExprList(query.values[i]) + ")";
  } else {
    out += query.distinct ? "SELECT DISTINCT " : "SELECT ";
    for (size_t i = 0; i < query.items.size(); ++i) {
      if (i > 0) out += ", ";
      out += DumpExpr(*query.items[i].expr);
      if (!query.items[i].alias.empty()) {
        out += query.items[i].alias_quoted ? " AS \"" + query.items[i].alias + "\"" : " AS " + query.items[i].alias;
      }
    }
    if (query.from) out += " FROM " + DumpTableRef(*query.from);
    if (query.where) out += " WHERE " + DumpExpr(*query.where);
    if (query.group_by_present) {
      out += " GROUP BY [" + DumpExprList(query.group_by) + "]";
      if (!query.grouping_kind.empty()) {
        out += " " + query.grouping_kind + " {";
        for (size_t i = 0; i < query.grouping_sets.size(); ++i) {
          out += i > 0 ? ", (" : "(";
          for (size_t k = 0; k < query.grouping_sets[i].size(); ++k) {
            out += (k > 0 ? "," : "") + std::to_string(query.grouping_sets[i][k]);
          }
          out += ")";
        }
        out += "}";
      }
    }
    if (query.having) out += " HAVING " + DumpExpr(*query.having);
  }
  if (!query.order_by.empty()) out += " ORDER BY " + DumpOrder(query.order_by);
  if (query.limit) out += " LIMIT " + DumpExpr(*query.limit);
  if (query.offset) out += " OFFSET " + DumpExpr(*query.offset);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

Statement ParseOk(const std::string& sql) {
  Result<Statement> result = ParseStatement(sql);
  EXPECT_TRUE(result.ok()) << sql << "\n" << result.status().ToString();
  if (!result.ok()) return Statement();
  return std::move(result).value();
}

// Parses a SELECT statement and prints its query.
std::string Query(const std::string& sql) {
  Result<Statement> result = ParseStatement(sql);
  if (!result.ok()) return "ERROR: " + result.status().message();
  if (result->kind != StatementKind::kSelect || result->query == nullptr) return "NOT A SELECT";
  return DumpQuery(*result->query);
}

std::string Expression(const std::string& sql) {
  Result<ExprPtr> result = ParseExpression(sql);
  if (!result.ok()) return "ERROR: " + result.status().message();
  return DumpExpr(**result);
}

std::string ContextValue(const Status& status, const std::string& key) {
  for (const auto& [k, v] : status.context()) {
    if (k == key) return v;
  }
  return "<missing>";
}

Status ParseError(const std::string& sql) {
  Result<Statement> result = ParseStatement(sql);
  EXPECT_FALSE(result.ok()) << sql;
  return result.status();
}

std::filesystem::path FindSharedDir() {
  namespace fs = std::filesystem;
  auto has_cases = [](const fs::path& dir) { return fs::exists(dir / "conformance" / "cases.jsonl"); };
  if (const char* env = std::getenv("STRATA_SHARED_DIR"); env != nullptr && has_cases(env)) return env;
  std::vector<fs::path> starts = {fs::current_path(), fs::path(__FILE__).parent_path()};
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) starts.push_back(exe.parent_path());
  for (fs::path dir : starts) {
    dir = fs::absolute(dir);
    while (true) {
      if (has_cases(dir / "shared")) return dir / "shared";
      if (!dir.has_parent_path() || dir.parent_path() == dir) break;
      dir = dir.parent_path();
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Lexer

TEST(LexerTest, TokenKindsValuesAndPositions) {
  auto tokens = Tokenize("SELECT \"a\"\"b\", x_1$ FROM t\r\n  WHERE n >= 1.5 -- c\n/* block\n */ <> 'it''s'");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const std::vector<Token>& t = *tokens;
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].kind, TokenKind::kWord);
  EXPECT_EQ(t[0].value, "SELECT");
  EXPECT_EQ(t[1].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(t[1].value, "a\"b");
  EXPECT_EQ(t[1].column, 8);
  EXPECT_EQ(t[2].value, ",");
  EXPECT_EQ(t[3].value, "x_1$");
  EXPECT_EQ(t[3].upper, "X_1$");
  EXPECT_EQ(t[6].value, "WHERE");
  EXPECT_EQ(t[6].line, 2);
  EXPECT_EQ(t[6].column, 3);
  EXPECT_EQ(t[8].value, ">=");
  EXPECT_EQ(t[9].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[9].value, "1.5");
  EXPECT_EQ(t[10].value, "<>");
  EXPECT_EQ(t[10].line, 4);
  EXPECT_EQ(t[10].column, 5);
  EXPECT_EQ(t[11].kind, TokenKind::kString);
  EXPECT_EQ(t[11].value, "it's");
  EXPECT_EQ(TokenImage("", t[12]), "<EOF>");
  EXPECT_EQ(t[12].kind, TokenKind::kEof);
  EXPECT_EQ(t[12].line, 4);
  EXPECT_EQ(t[12].column, 15);
}

TEST(LexerTest, Numbers) {
  auto tokens = Tokenize("42 1.5 .5 5. 1e3 1.5E-2 2e+7 3e");
  ASSERT_TRUE(tokens.ok());
  std::vector<std::pair<TokenKind, std::string>> got;
  for (const Token& token : *tokens) got.emplace_back(token.kind, token.value);
  std::vector<std::pair<TokenKind, std::string>> want = {
      {TokenKind::kInteger, "42"},  {TokenKind::kDecimal, "1.5"},   {TokenKind::kDecimal, ".5"},
      {TokenKind::kDecimal, "5."},  {TokenKind::kApprox, "1e3"},    {TokenKind::kApprox, "1.5E-2"},
      {TokenKind::kApprox, "2e+7"}, {TokenKind::kInteger, "3"},     {TokenKind::kWord, "e"},
      {TokenKind::kEof, ""}};
  EXPECT_EQ(got, want);
}

TEST(LexerTest, Operators) {
  auto tokens = Tokenize("+-*/%||=<>!=<<=>>=(),.;?[]=>::");
  ASSERT_TRUE(tokens.ok());
  std::vector<std::string> got;
  for (const Token& token : *tokens) {
    if (token.kind == TokenKind::kOperator) got.push_back(token.value);
  }
  std::vector<std::string> want = {"+", "-", "*", "/", "%", "||", "=", "<>", "!=", "<", "<=", ">",
                                   ">=", "(", ")", ",", ".", ";", "?", "[", "]", "=>", "::"};
  EXPECT_EQ(got, want);
}

TEST(LexerTest, StringForms) {
  auto tokens = Tokenize("'a' 'b'\n  'c' N'nat' U&'\\00F6\\+01F600\\\\' U&'x!00E9' UESCAPE '!' 'd' /* c */ 'e' ''");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  const std::vector<Token>& t = *tokens;
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].value, "abc");
  EXPECT_EQ(t[0].length, 13u);  // the joined token spans all three parts
  EXPECT_EQ(t[1].value, "nat");
  EXPECT_EQ(t[2].value, "\xC3\xB6\xF0\x9F\x98\x80\\");
  EXPECT_EQ(t[3].value, "x\xC3\xA9");
  EXPECT_EQ(t[4].value, "de");
  EXPECT_EQ(t[4].kind, TokenKind::kString);
  EXPECT_EQ(t[5].kind, TokenKind::kEof);
}

TEST(LexerTest, EmptyStringStaysSeparateFromFollowingWord) {
  auto tokens = Tokenize("'' AS x");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)[0].value, "");
  EXPECT_EQ((*tokens)[1].value, "AS");
}

TEST(LexerTest, ColumnsCountCharactersNotBytes) {
  auto tokens = Tokenize("'é' x\rÿ y");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)[1].column, 5);
  EXPECT_EQ((*tokens)[2].value, "ÿ");
  EXPECT_EQ((*tokens)[2].line, 2);
  EXPECT_EQ((*tokens)[3].column, 3);
}

TEST(LexerTest, Errors) {
  struct Case {
    std::string sql;
    std::string message_prefix;
    int line;
    int column;
  };
  std::vector<Case> cases = {
      {"SELECT 'abc", "Lexical error at line 1, column 8.  Encountered: <EOF> after : \"'abc\"", 1, 8},
      {"SELECT\n  \"abc", "Lexical error at line 2, column 3.  Encountered: <EOF> after : \"\"abc\"", 2, 3},
      {"SELECT 1 /* never\nclosed", "Lexical error at line 1, column 10.  Encountered: <EOF> in a comment", 1, 10},
      {"SELECT #", "Lexical error at line 1, column 8.  Encountered: \"#\" (35)", 1, 8},
      {"SELECT ''\n'x", "Lexical error at line 2, column 1.", 2, 1},
      {"SELECT U&'\\00G1'", "Lexical error at line 1, column 8.  Encountered: unicode escape", 1, 8},
      {"SELECT \"\"", "Lexical error at line 1, column 8.", 1, 8},
  };
  for (const Case& c : cases) {
    auto tokens = Tokenize(c.sql);
    ASSERT_FALSE(tokens.ok()) << c.sql;
    const Status& status = tokens.status();
    EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
    EXPECT_EQ(status.error_code(), "invalidInput");
    EXPECT_EQ(status.message().rfind(c.message_prefix, 0), 0u) << status.message();
    EXPECT_EQ(ContextValue(status, "line"), std::to_string(c.line)) << c.sql;
    EXPECT_EQ(ContextValue(status, "column"), std::to_string(c.column)) << c.sql;
    EXPECT_EQ(ContextValue(status, "sourceType"), "sql");
    // ParseStatement reports lexical errors unchanged.
    EXPECT_EQ(ParseError(c.sql).message(), status.message());
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

TEST(ParserExpressionTest, Precedence) {
  EXPECT_EQ(Expression("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(Expression("(1 + 2) * 3"), "(* (+ 1 2) 3)");
  EXPECT_EQ(Expression("1 - 2 - 3"), "(- (- 1 2) 3)");
  EXPECT_EQ(Expression("8 / 4 % 3 * 2"), "(* (% (/ 8 4) 3) 2)");
  EXPECT_EQ(Expression("NOT a = b AND c"), "(AND (NOT (= a b)) c)");
  EXPECT_EQ(Expression("a OR b AND c"), "(OR a (AND b c))");
  EXPECT_EQ(Expression("NOT NOT a OR b"), "(OR (NOT (NOT a)) b)");
  EXPECT_EQ(Expression("a || b = c"), "(= (|| a b) c)");
  EXPECT_EQ(Expression("'a' || 1 + 2"), "(|| 'a' (+ 1 2))");
  EXPECT_EQ(Expression("-a * b"), "(* (- a) b)");
  EXPECT_EQ(Expression("- (1)"), "(- 1)");
  EXPECT_EQ(Expression("a = 1 OR b <> 2 AND c != 3"), "(OR (= a 1) (AND (<> b 2) (<> c 3)))");
  EXPECT_EQ(Expression("a < b IS TRUE"), "((< a b) IS TRUE)");
  EXPECT_EQ(Expression("x BETWEEN 1 AND 2 AND y"), "(AND (x BETWEEN 1 AND 2) y)");
  EXPECT_EQ(Expression("x + 1 BETWEEN a - 1 AND b || 'c'"), "((+ x 1) BETWEEN (- a 1) AND (|| b 'c'))");
}

TEST(ParserExpressionTest, NegativeNumbersAreLiterals) {
  EXPECT_EQ(Expression("-1"), "-1");
  EXPECT_EQ(Expression("1 - -2.5"), "(- 1 -2.5dec)");
  EXPECT_EQ(Expression("+1e3"), "1e3approx");
  EXPECT_EQ(Expression("-x"), "(- x)");
  EXPECT_EQ(Expression("2 * -3"), "(* 2 -3)");
}

TEST(ParserExpressionTest, Literals) {
  EXPECT_EQ(Expression("NULL"), "NULL");
  EXPECT_EQ(Expression("true"), "TRUE");
  EXPECT_EQ(Expression("False"), "FALSE");
  EXPECT_EQ(Expression("'it''s'"), "'it''s'");
  EXPECT_EQ(Expression("'a'\n'b'"), "'ab'");
  EXPECT_EQ(Expression("TIMESTAMP '2000-01-01 00:00:00'"), "TIMESTAMP '2000-01-01 00:00:00'");
  EXPECT_EQ(Expression("timestamp'2024-01-03 00:00:00'"), "TIMESTAMP '2024-01-03 00:00:00'");
  EXPECT_EQ(Expression("DATE '2000-01-01'"), "DATE '2000-01-01'");
  EXPECT_EQ(Expression("TIME '01:02:03'"), "TIME '01:02:03'");
  EXPECT_EQ(Expression("INTERVAL '1' DAY"), "INTERVAL '1' DAY");
  EXPECT_EQ(Expression("INTERVAL '1-2' YEAR TO MONTH"), "INTERVAL '1-2' YEAR TO MONTH");
  EXPECT_EQ(Expression("INTERVAL '2' hour"), "INTERVAL '2' HOUR");
  EXPECT_EQ(Expression("INTERVAL -'3' DAYS"), "INTERVAL '-3' DAY");
  EXPECT_EQ(Expression("INTERVAL 5 MINUTE"), "INTERVAL '5' MINUTE");
  EXPECT_EQ(Expression("__time + INTERVAL '1' DAY"), "(+ __time INTERVAL '1' DAY)");

  Result<ExprPtr> literal = ParseExpression("1.5");
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ((*literal)->kind, ExprKind::kLiteral);
  EXPECT_EQ((*literal)->literal_kind, LiteralKind::kDecimal);
  EXPECT_EQ((*literal)->text, "1.5");
}

TEST(ParserExpressionTest, IdentifiersKeepCaseAndNonReservedWordsWork) {
  EXPECT_EQ(Expression("Page"), "Page");
  EXPECT_EQ(Expression("\"Page\""), "\"Page\"");
  EXPECT_EQ(Expression("t.\"col\".x"), "t.\"col\".x");
  EXPECT_EQ(Expression("druid.foo.dim1"), "druid.foo.dim1");
  EXPECT_EQ(Expression("user = 'x' AND time > 1 AND value < year AND count + position + type"),
            "(AND (AND (AND (= user 'x') (> time 1)) (< value year)) (+ (+ count position) type))");
  EXPECT_EQ(Expression("timestamp"), "timestamp");
  EXPECT_EQ(Expression("t.value"), "t.value");
  Result<ExprPtr> ident = ParseExpression("a.\"B\"");
  ASSERT_TRUE(ident.ok());
  EXPECT_EQ((*ident)->parts, (std::vector<std::string>{"a", "B"}));
  EXPECT_EQ((*ident)->quoted, (std::vector<bool>{false, true}));
}

TEST(ParserExpressionTest, Predicates) {
  EXPECT_EQ(Expression("x IS NULL"), "(x IS NULL)");
  EXPECT_EQ(Expression("x IS NOT NULL"), "(x IS NOT NULL)");
  EXPECT_EQ(Expression("x IS NOT FALSE"), "(x IS NOT FALSE)");
  EXPECT_EQ(Expression("x IS UNKNOWN"), "(x IS UNKNOWN)");
  EXPECT_EQ(Expression("x IS NOT DISTINCT FROM y"), "(IS NOT DISTINCT FROM x y)");
  EXPECT_EQ(Expression("x LIKE 'a%'"), "(x LIKE 'a%')");
  EXPECT_EQ(Expression("x NOT LIKE '%xb%' escape 'x'"), "(x NOT LIKE '%xb%' ESCAPE 'x')");
  EXPECT_EQ(Expression("x NOT BETWEEN SYMMETRIC 1 AND 2"), "(x NOT BETWEEN SYMMETRIC 1 AND 2)");
  EXPECT_EQ(Expression("x BETWEEN ASYMMETRIC 1 AND 2"), "(x BETWEEN 1 AND 2)");
  EXPECT_EQ(Expression("x IN (1, 2, 'a')"), "(x IN [1, 2, 'a'])");
  EXPECT_EQ(Expression("x NOT IN (1)"), "(x NOT IN [1])");
  EXPECT_EQ(Expression("x IN (SELECT a FROM t)"), "(x IN {SELECT a FROM t})");
  EXPECT_EQ(Expression("x NOT IN (WITH w AS (SELECT 1) SELECT * FROM w)"),
            "(x NOT IN {WITH w AS {SELECT 1} SELECT * FROM w})");
  EXPECT_EQ(Expression("EXISTS (SELECT 1)"), "EXISTS{SELECT 1}");
  EXPECT_EQ(Expression("NOT EXISTS (SELECT 1)"), "(NOT EXISTS{SELECT 1})");
  EXPECT_EQ(Expression("(SELECT MAX(x) FROM t) + 1"), "(+ {SELECT MAX(x) FROM t} 1)");
}

TEST(ParserExpressionTest, LongInListIsFlat) {
  std::string sql = "x IN (";
  constexpr int kNumItems = 50000;
  for (int i = 0; i < kNumItems; ++i) sql += (i > 0 ? ", " : "") + std::to_string(i);
  sql += ")";
  Result<ExprPtr> expr = ParseExpression(sql);
  ASSERT_TRUE(expr.ok()) << expr.status().ToString();
  EXPECT_EQ((*expr)->kind, ExprKind::kInList);
  ASSERT_EQ((*expr)->args.size(), static_cast<size_t>(kNumItems + 1));
  EXPECT_EQ((*expr)->args.back()->text, std::to_string(kNumItems - 1));
}

int TreeDepth(const Expr& expr) {
  int deepest = 0;
  for (const ExprPtr& arg : expr.args) deepest = std::max(deepest, TreeDepth(*arg));
  return deepest + 1;
}

TEST(ParserExpressionTest, LongAndOrChainsStayShallow) {
  EXPECT_EQ(Expression("a OR b OR c OR d"), "(OR (OR (OR a b) c) d)");
  EXPECT_EQ(Expression("a AND b AND c OR d AND e"), "(OR (AND (AND a b) c) (AND d e))");
  std::string sql;
  constexpr int kNumTerms = 100000;
  for (int i = 0; i < kNumTerms; ++i) sql += (i > 0 ? " OR x = " : "x = ") + std::to_string(i);
  Result<ExprPtr> expr = ParseExpression(sql);
  ASSERT_TRUE(expr.ok()) << expr.status().ToString();
  EXPECT_EQ((*expr)->op, "OR");
  EXPECT_LE(TreeDepth(**expr), 40);
  // Every term is kept, in order.
  std::vector<const Expr*> leaves;
  std::vector<const Expr*> stack = {expr->get()};
  while (!stack.empty()) {
    const Expr* node = stack.back();
    stack.pop_back();
    if (node->kind == ExprKind::kBinary && node->op == "OR") {
      stack.push_back(node->args[1].get());
      stack.push_back(node->args[0].get());
    } else {
      leaves.push_back(node);
    }
  }
  ASSERT_EQ(leaves.size(), static_cast<size_t>(kNumTerms));
  EXPECT_EQ(leaves[0]->args[1]->text, "0");
  EXPECT_EQ(leaves[12345]->args[1]->text, "12345");
  EXPECT_EQ(leaves.back()->args[1]->text, std::to_string(kNumTerms - 1));
}

TEST(ParserExpressionTest, FunctionCalls) {
  EXPECT_EQ(Expression("count(*)"), "COUNT(*)");
  EXPECT_EQ(Expression("COUNT(DISTINCT m1)"), "COUNT(DISTINCT m1)");
  EXPECT_EQ(Expression("sum(ALL x)"), "SUM(x)");
  EXPECT_EQ(Expression("now()"), "NOW()");
  EXPECT_EQ(Expression("exp(count(*)) + 10"), "(+ EXP(COUNT(*)) 10)");
  EXPECT_EQ(Expression("\"myFn\"(x)"), "myFn(x)");
  EXPECT_EQ(Expression("LEFT(s, 2) || RIGHT(s, 1) || REPLACE(s, 'a', 'b')"),
            "(|| (|| LEFT(s, 2) RIGHT(s, 1)) REPLACE(s, 'a', 'b'))");
  EXPECT_EQ(Expression("EXTERN(inputSource => '{}', inputFormat => '{\"type\":\"json\"}', 'x')"),
            "EXTERN(inputSource => '{}', inputFormat => '{\"type\":\"json\"}', 'x')");
  EXPECT_EQ(Expression("COUNT(*) FILTER (WHERE dim1 <> 'a')"), "COUNT(*) FILTER((<> dim1 'a'))");
  EXPECT_EQ(Expression("STRING_AGG(x, ',' ORDER BY y DESC, z)"), "STRING_AGG(x, ',' ORDER BY y DESC, z ASC)");
  EXPECT_EQ(Expression("PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)"),
            "PERCENTILE_CONT(0.5dec ORDER BY x ASC)");
  EXPECT_EQ(Expression("CURRENT_TIMESTAMP - INTERVAL '1' DAY"), "(- CURRENT_TIMESTAMP() INTERVAL '1' DAY)");
  EXPECT_EQ(Expression("current_date"), "CURRENT_DATE()");
  EXPECT_EQ(Expression("LOCALTIMESTAMP"), "LOCALTIMESTAMP()");
  EXPECT_EQ(Expression("TIMESTAMPADD(HOUR, 1, \"__time\")"), "TIMESTAMPADD(HOUR, 1, \"__time\")");

  Result<ExprPtr> returning = ParseExpression("JSON_VALUE(obj, '$.a' RETURNING BIGINT)");
  ASSERT_TRUE(returning.ok());
  EXPECT_EQ(DumpExpr(**returning), "JSON_VALUE(obj, '$.a')");
  EXPECT_EQ((*returning)->type_name, "BIGINT");

  Result<ExprPtr> named = ParseExpression("f(a => 1, 2)");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ((*named)->arg_names, (std::vector<std::string>{"a", ""}));
  Result<ExprPtr> positional = ParseExpression("f(1, 2)");
  ASSERT_TRUE(positional.ok());
  EXPECT_EQ((*positional)->arg_names, (std::vector<std::string>{"", ""}));
}

TEST(ParserExpressionTest, SpecialForms) {
  EXPECT_EQ(Expression("CAST(x AS VARCHAR)"), "CAST(x AS VARCHAR)");
  EXPECT_EQ(Expression("CAST(x AS double precision)"), "CAST(x AS DOUBLE PRECISION)");
  EXPECT_EQ(Expression("CAST(x AS DECIMAL(10,2))"), "CAST(x AS DECIMAL(10, 2))");
  EXPECT_EQ(Expression("CAST(x AS TIMESTAMP(3))"), "CAST(x AS TIMESTAMP(3))");
  EXPECT_EQ(Expression("CAST(x AS VARCHAR ARRAY)"), "CAST(x AS VARCHAR ARRAY)");
  EXPECT_EQ(Expression("CAST(x AS CHARACTER VARYING)"), "CAST(x AS CHARACTER VARYING)");
  EXPECT_EQ(Expression("CAST(x AS TIMESTAMP WITH LOCAL TIME ZONE)"), "CAST(x AS TIMESTAMP WITH LOCAL TIME ZONE)");
  EXPECT_EQ(Expression("x::BIGINT"), "CAST(x AS BIGINT)");
  EXPECT_EQ(Expression("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"), "CASE( WHEN a THEN 1 WHEN b THEN 2 ELSE 3)");
  EXPECT_EQ(Expression("CASE 'foo' WHEN 'bar' THEN SUM(cnt) END"), "CASE('foo' WHEN 'bar' THEN SUM(cnt))");
  EXPECT_EQ(Expression("EXTRACT(year FROM __time)"), "EXTRACT(YEAR FROM __time)");
  EXPECT_EQ(Expression("FLOOR(__time TO MONTH)"), "FLOOR(__time TO MONTH)");
  EXPECT_EQ(Expression("ceiling(__time to day)"), "CEIL(__time TO DAY)");
  EXPECT_EQ(Expression("FLOOR(123)"), "FLOOR(123)");
  EXPECT_EQ(Expression("CEIL(x, 2)"), "CEIL(x, 2)");
  EXPECT_EQ(Expression("FLOOR(FLOOR(FLOOR(FLOOR(x))))"), "FLOOR(FLOOR(FLOOR(FLOOR(x))))");
  EXPECT_EQ(Expression("POSITION('a' IN dim1)"), "POSITION('a', dim1)");
  EXPECT_EQ(Expression("POSITION('a' IN dim1 FROM 2)"), "POSITION('a', dim1, 2)");
  EXPECT_EQ(Expression("TRIM(dim1)"), "TRIM('BOTH', dim1)");
  EXPECT_EQ(Expression("TRIM(LEADING 'x' FROM dim1)"), "TRIM('LEADING', dim1, 'x')");
  EXPECT_EQ(Expression("TRIM(TRAILING FROM dim1)"), "TRIM('TRAILING', dim1)");
  EXPECT_EQ(Expression("TRIM(' ' FROM dim1)"), "TRIM('BOTH', dim1, ' ')");
  EXPECT_EQ(Expression("SUBSTRING(dim1 FROM 2 FOR 3)"), "SUBSTRING(dim1, 2, 3)");
  EXPECT_EQ(Expression("SUBSTRING(dim1 FROM 2)"), "SUBSTRING(dim1, 2)");
  EXPECT_EQ(Expression("SUBSTRING(dim1, 1, 1)"), "SUBSTRING(dim1, 1, 1)");
  EXPECT_EQ(Expression("ARRAY[1, 'a', x]"), "ARRAY[1, 'a', x]");
  EXPECT_EQ(Expression("ARRAY[]"), "ARRAY[]");
}

TEST(ParserExpressionTest, WindowFunctions) {
  EXPECT_EQ(Expression("ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST)"),
            "ROW_NUMBER() OVER(PARTITION BY a, b ORDER BY c DESC NULLS LAST)");
  EXPECT_EQ(Expression("SUM(x) OVER (ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"),
            "SUM(x) OVER(ORDER BY t ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)");
  EXPECT_EQ(Expression("SUM(x) OVER (RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING)"),
            "SUM(x) OVER(RANGE BETWEEN 2 PRECEDING AND 3 FOLLOWING)");
  EXPECT_EQ(Expression("AVG(x) OVER (ROWS 5 PRECEDING)"), "AVG(x) OVER(ROWS 5 PRECEDING)");
  EXPECT_EQ(Expression("COUNT(*) OVER ()"), "COUNT(*) OVER()");
  EXPECT_EQ(Expression("LAG(x, 1) OVER (ORDER BY y ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"),
            "LAG(x, 1) OVER(ORDER BY y ASC ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)");
}

TEST(ParserExpressionTest, ParametersAreNumberedInOrder) {
  Statement statement = ParseOk("SELECT ?, x FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?");
  EXPECT_EQ(DumpQuery(*statement.query), "SELECT ?0, x FROM t WHERE (AND (= a ?1) (b IN [?2, ?3])) LIMIT ?4");
  Statement nested = ParseOk("WITH w AS (SELECT ? AS p) SELECT (SELECT ? FROM w), ? FROM w");
  EXPECT_EQ(DumpQuery(*nested.query), "WITH w AS {SELECT ?0 AS p} SELECT {SELECT ?1 FROM w}, ?2 FROM w");
}

TEST(ParserExpressionTest, Positions) {
  Result<ExprPtr> expr = ParseExpression("a +\n  f(b, 'c')");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ((*expr)->pos.line, 1);
  EXPECT_EQ((*expr)->pos.column, 1);
  const Expr& call = *(*expr)->args[1];
  EXPECT_EQ(call.pos.line, 2);
  EXPECT_EQ(call.pos.column, 3);
  EXPECT_EQ(call.args[1]->pos.column, 8);
}

// ---------------------------------------------------------------------------------------------
// Queries

TEST(ParserQueryTest, SelectClauses) {
  EXPECT_EQ(Query("SELECT page, COUNT(*) AS Edits FROM wikipedia WHERE \"__time\" BETWEEN "
                  "TIMESTAMP '2015-09-12 00:00:00' AND TIMESTAMP '2015-09-13 00:00:00' GROUP BY page "
                  "ORDER BY Edits DESC LIMIT 10"),
            "SELECT page, COUNT(*) AS Edits FROM wikipedia WHERE (\"__time\" BETWEEN TIMESTAMP '2015-09-12 "
            "00:00:00' AND TIMESTAMP '2015-09-13 00:00:00') GROUP BY [page] ORDER BY Edits DESC LIMIT 10");
  EXPECT_EQ(Query("select distinct dim2 from druid.foo"), "SELECT DISTINCT dim2 FROM druid.foo");
  EXPECT_EQ(Query("SELECT ALL a b, c AS \"C\", t.*, * FROM t"), "SELECT a AS b, c AS \"C\", t.*, * FROM t");
  EXPECT_EQ(Query("SELECT user, page FROM wikipedia"), "SELECT user, page FROM wikipedia");
  EXPECT_EQ(Query("SELECT 1 + 1"), "SELECT (+ 1 1)");
  EXPECT_EQ(Query("SELECT SUM(m1) AS m1_sum FROM foo HAVING m1_sum = 21"),
            "SELECT SUM(m1) AS m1_sum FROM foo HAVING (= m1_sum 21)");
  EXPECT_EQ(Query("SELECT x FROM t GROUP BY 1, 2"), "SELECT x FROM t GROUP BY [1, 2]");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM t GROUP BY ()"), "SELECT COUNT(*) FROM t GROUP BY []");
  EXPECT_EQ(Query("SELECT x FROM t GROUP BY (a + b) * 2, (c)"), "SELECT x FROM t GROUP BY [(* (+ a b) 2), c]");
  EXPECT_EQ(Query("SELECT x FROM t GROUP BY (a, b), c"), "SELECT x FROM t GROUP BY [a, b, c]");
  EXPECT_EQ(Query("SELECT x FROM t ORDER BY a NULLS FIRST, b ASC"),
            "SELECT x FROM t ORDER BY a ASC NULLS FIRST, b ASC");
  EXPECT_EQ(Query("SELECT x FROM t;"), "SELECT x FROM t");

  Statement no_group = ParseOk("SELECT x FROM t");
  EXPECT_FALSE(no_group.query->group_by_present);
  Statement empty_group = ParseOk("SELECT COUNT(*) FROM t GROUP BY ()");
  EXPECT_TRUE(empty_group.query->group_by_present);
  EXPECT_TRUE(empty_group.query->group_by.empty());
  EXPECT_TRUE(empty_group.query->grouping_sets.empty());
}

TEST(ParserQueryTest, LimitOffsetFetch) {
  EXPECT_EQ(Query("SELECT a FROM t LIMIT 2 OFFSET 5"), "SELECT a FROM t LIMIT 2 OFFSET 5");
  EXPECT_EQ(Query("SELECT a FROM t OFFSET 5 ROWS FETCH NEXT 3 ROWS ONLY"), "SELECT a FROM t LIMIT 3 OFFSET 5");
  EXPECT_EQ(Query("SELECT a FROM t FETCH FIRST ROW ONLY"), "SELECT a FROM t LIMIT 1");
  EXPECT_EQ(Query("SELECT * FROM (SELECT dim2 FROM druid.foo ORDER BY dim2 LIMIT 2 OFFSET 5) OFFSET 2"),
            "SELECT * FROM {SELECT dim2 FROM druid.foo ORDER BY dim2 ASC LIMIT 2 OFFSET 5} OFFSET 2");
  EXPECT_EQ(Query("(SELECT a FROM t LIMIT 1) ORDER BY a"),
            "SELECT * FROM {SELECT a FROM t LIMIT 1} ORDER BY a ASC");
}

TEST(ParserQueryTest, SetOperations) {
  EXPECT_EQ(Query("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3"),
            "((SELECT 1 UNION ALL SELECT 2) UNION ALL SELECT 3)");
  EXPECT_EQ(Query("SELECT a FROM x UNION SELECT a FROM y ORDER BY 1 DESC LIMIT 5 OFFSET 1"),
            "(SELECT a FROM x UNION SELECT a FROM y) ORDER BY 1 DESC LIMIT 5 OFFSET 1");
  EXPECT_EQ(Query("SELECT 1 UNION DISTINCT SELECT 2 EXCEPT SELECT 3"), "((SELECT 1 UNION SELECT 2) EXCEPT SELECT 3)");
  EXPECT_EQ(Query("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3"),
            "(SELECT 1 UNION ALL (SELECT 2 INTERSECT SELECT 3))");
  EXPECT_EQ(Query("(SELECT 1 LIMIT 1) UNION ALL (SELECT 2 ORDER BY 1) LIMIT 3"),
            "(SELECT 1 LIMIT 1 UNION ALL SELECT 2 ORDER BY 1 ASC) LIMIT 3");
  EXPECT_EQ(Query("SELECT * FROM (SELECT COUNT(*) FROM foo UNION ALL SELECT SUM(cnt) FROM foo) LIMIT 2"),
            "SELECT * FROM {(SELECT COUNT(*) FROM foo UNION ALL SELECT SUM(cnt) FROM foo)} LIMIT 2");
  EXPECT_EQ(Query("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) t"),
            "SELECT * FROM {(SELECT 1 UNION ALL SELECT 2)} AS t");
}

TEST(ParserQueryTest, WithClause) {
  EXPECT_EQ(Query("WITH beep (dim1_firstchar) AS (SELECT SUBSTRING(dim1, 1, 1) FROM foo WHERE dim2 = 'a')\n"
                  "SELECT COUNT(*) FROM beep WHERE dim1_firstchar <> 'z'"),
            "WITH beep(dim1_firstchar) AS {SELECT SUBSTRING(dim1, 1, 1) FROM foo WHERE (= dim2 'a')} "
            "SELECT COUNT(*) FROM beep WHERE (<> dim1_firstchar 'z')");
  EXPECT_EQ(Query("WITH a AS (SELECT 1), b AS (SELECT 2) SELECT * FROM a UNION ALL SELECT * FROM b ORDER BY 1"),
            "WITH a AS {SELECT 1}, b AS {SELECT 2} (SELECT * FROM a UNION ALL SELECT * FROM b) ORDER BY 1 ASC");
  Statement statement = ParseOk("WITH a AS (SELECT 1) SELECT * FROM a");
  EXPECT_EQ(statement.query->pos.column, 1);
  EXPECT_EQ(statement.query->with[0].pos.column, 6);
}

TEST(ParserQueryTest, Values) {
  EXPECT_EQ(Query("VALUES (1, 'a'), (2, 'b')"), "VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(Query("SELECT * FROM (VALUES (NULL, 'United States'), (50, 'India'))"),
            "SELECT * FROM VALUES{VALUES (NULL, 'United States'), (50, 'India')}");
  EXPECT_EQ(Query("SELECT a, b FROM (VALUES (1, 2)) AS t(a, b)"),
            "SELECT a, b FROM VALUES{VALUES (1, 2)} AS t(a, b)");
  EXPECT_EQ(Query("SELECT * FROM (VALUES (1) UNION ALL VALUES (2)) v"),
            "SELECT * FROM {(VALUES (1) UNION ALL VALUES (2))} AS v");
  Statement statement = ParseOk("SELECT * FROM (VALUES (1)) t");
  EXPECT_EQ(statement.query->from->kind, TableRefKind::kValues);
}

TEST(ParserQueryTest, Joins) {
  EXPECT_EQ(Query("SELECT MAX(t1.__time) FROM foo t1 INNER JOIN foo t2 ON CAST(t1.m1 AS BIGINT) = t2.cnt"),
            "SELECT MAX(t1.__time) FROM [foo AS t1 INNER foo AS t2 ON (= CAST(t1.m1 AS BIGINT) t2.cnt)]");
  EXPECT_EQ(Query("SELECT * FROM a JOIN b USING (k, j) LEFT OUTER JOIN c ON a.x = c.x RIGHT JOIN d ON TRUE "
                  "FULL JOIN e ON FALSE"),
            "SELECT * FROM [[[[a INNER b USING(k, j)] LEFT c ON (= a.x c.x)] RIGHT d ON TRUE] FULL e ON FALSE]");
  EXPECT_EQ(Query("SELECT * FROM a, b CROSS JOIN c"), "SELECT * FROM [[a COMMA b] CROSS c]");
  EXPECT_EQ(Query("SELECT * FROM a AS x LEFT JOIN (SELECT k FROM b) AS y ON x.k = y.k"),
            "SELECT * FROM [a AS x LEFT {SELECT k FROM b} AS y ON (= x.k y.k)]");
  EXPECT_EQ(Query("SELECT * FROM (a JOIN b ON a.k = b.k) JOIN c ON TRUE"),
            "SELECT * FROM [[a INNER b ON (= a.k b.k)] INNER c ON TRUE]");
  EXPECT_EQ(Query("SELECT * FROM ((a JOIN b ON TRUE) JOIN c ON TRUE)"),
            "SELECT * FROM [[a INNER b ON TRUE] INNER c ON TRUE]");
  EXPECT_EQ(Query("SELECT d3 FROM druid.numfoo CROSS JOIN UNNEST(MV_TO_ARRAY(dim3)) AS t(d3)"),
            "SELECT d3 FROM [druid.numfoo CROSS UNNEST(MV_TO_ARRAY(dim3)) AS t(d3)]");
  EXPECT_EQ(Query("SELECT d FROM foo, UNNEST(ARRAY[1, 2]) u (d)"),
            "SELECT d FROM [foo COMMA UNNEST(ARRAY[1, 2]) AS u(d)]");
  Statement statement = ParseOk("SELECT * FROM a JOIN b ON TRUE");
  EXPECT_EQ(statement.query->from->kind, TableRefKind::kJoin);
  EXPECT_EQ(statement.query->from->join_type, "INNER");
}

TEST(ParserQueryTest, TableFunctions) {
  EXPECT_EQ(Query("SELECT * FROM TABLE(EXTERN('{}', '{\"type\":\"json\"}', '[]'))"),
            "SELECT * FROM TABLE(EXTERN('{}', '{\"type\":\"json\"}', '[]'))");
  EXPECT_EQ(Query("SELECT * FROM TABLE(EXTERN('a', 'b')) (\"x\" VARCHAR, \"y\" BIGINT) AS e"),
            "SELECT * FROM TABLE(EXTERN('a', 'b')) EXTEND(x VARCHAR, y BIGINT) AS e");
  EXPECT_EQ(Query("SELECT * FROM TABLE(EXTERN(inputSource => 'a', inputFormat => 'b')) EXTEND (x VARCHAR ARRAY, "
                  "y BIGINT ARRAY, z DOUBLE, w FLOAT, j TYPE('COMPLEX<json>'))"),
            "SELECT * FROM TABLE(EXTERN(inputSource => 'a', inputFormat => 'b')) EXTEND(x VARCHAR ARRAY, "
            "y BIGINT ARRAY, z DOUBLE, w FLOAT, j COMPLEX<json>)");
  EXPECT_EQ(Query("SELECT * FROM EXTERN('a', 'b') EXTEND (\"time\" VARCHAR)"),
            "SELECT * FROM TABLE(EXTERN('a', 'b')) EXTEND(time VARCHAR)");
  EXPECT_EQ(Query("SELECT * FROM TABLE(EXTERN('a', 'b')) AS t(brand VARCHAR, upc BIGINT)"),
            "SELECT * FROM TABLE(EXTERN('a', 'b')) EXTEND(brand VARCHAR, upc BIGINT) AS t");
  EXPECT_EQ(Query("SELECT * FROM foo EXTEND (x BIGINT) f"), "SELECT * FROM foo EXTEND(x BIGINT) AS f");
  Statement statement = ParseOk("SELECT * FROM TABLE(EXTERN('a', 'b')) EXTEND (\"x\" VARCHAR,\n  y BIGINT)");
  const TableRef& from = *statement.query->from;
  EXPECT_EQ(from.kind, TableRefKind::kFunction);
  ASSERT_EQ(from.extend.size(), 2u);
  EXPECT_EQ(from.extend[1].pos.line, 2);
  EXPECT_EQ(from.extend[1].pos.column, 3);
}

TEST(ParserQueryTest, GroupingSetsRollupCube) {
  EXPECT_EQ(Query("SELECT a, b FROM t GROUP BY GROUPING SETS ((a, b), (a), ())"),
            "SELECT a, b FROM t GROUP BY [a, b] GROUPING SETS {(0,1), (0), ()}");
  EXPECT_EQ(Query("SELECT a, b, c FROM t GROUP BY ROLLUP (a, b, c)"),
            "SELECT a, b, c FROM t GROUP BY [a, b, c] ROLLUP {(0,1,2), (0,1), (0), ()}");
  EXPECT_EQ(Query("SELECT a, b FROM t GROUP BY CUBE (a, b)"),
            "SELECT a, b FROM t GROUP BY [a, b] CUBE {(0,1), (0), (1), ()}");
  EXPECT_EQ(Query("SELECT 1 FROM t GROUP BY GROUPING SETS (b, (a, b), a, ROLLUP(c))"),
            "SELECT 1 FROM t GROUP BY [b, a, c] GROUPING SETS {(0), (1,0), (1), (2), ()}");
  EXPECT_EQ(Query("SELECT 1 FROM t GROUP BY a, ROLLUP(b, (c, a))"),
            "SELECT 1 FROM t GROUP BY [a, b, c] ROLLUP {(0,1,2), (0,1), (0)}");
  EXPECT_EQ(Query("SELECT 1 FROM t GROUP BY FLOOR(__time TO DAY), GROUPING SETS ((dim1), (FLOOR(__time TO DAY)))"),
            "SELECT 1 FROM t GROUP BY [FLOOR(__time TO DAY), dim1] GROUPING SETS {(0,1), (0)}");
  EXPECT_EQ(Query("SELECT GROUPING(a) FROM t GROUP BY CUBE(a)"),
            "SELECT GROUPING(a) FROM t GROUP BY [a] CUBE {(0), ()}");
}

TEST(ParserQueryTest, PermissiveIdentifiers) {
  EXPECT_EQ(Query("SELECT time, timestamp, value, year, month, day, hour, count, page, channel, comment, "
                  "language, namespace, added, deleted, delta, metroCode, source, data, format, type, position, "
                  "user FROM wikipedia"),
            "SELECT time, timestamp, value, year, month, day, hour, count, page, channel, comment, language, "
            "namespace, added, deleted, delta, metroCode, source, data, format, type, position, user FROM wikipedia");
  EXPECT_EQ(Query("SELECT count(*) count FROM t value"), "SELECT COUNT(*) AS count FROM t AS value");
  EXPECT_EQ(Query("SELECT Page FROM Wikipedia"), "SELECT Page FROM Wikipedia");
}

// ---------------------------------------------------------------------------------------------
// Statements

TEST(ParserStatementTest, SeedIngestionQuery) {
  // The INSERT example of the SQL-based ingestion API page (shared/seeds/000_*.txt).
  const std::string sql = R"sql(INSERT INTO wikipedia
SELECT
 TIME_PARSE("timestamp") AS __time,
 *
FROM TABLE(
 EXTERN(
 '{"type": "http", "uris": ["https://druid.apache.org/data/wikipedia.json.gz"]}',
 '{"type": "json"}',
 '[{"name": "added", "type": "long"}, {"name": "channel", "type": "string"}, {"name": "cityName", "type": "string"}, {"name": "comment", "type": "string"}, {"name": "commentLength", "type": "long"}, {"name": "countryIsoCode", "type": "string"}, {"name": "countryName", "type": "string"}, {"name": "deleted", "type": "long"}, {"name": "delta", "type": "long"}, {"name": "deltaBucket", "type": "string"}, {"name": "diffUrl", "type": "string"}, {"name": "flags", "type": "string"}, {"name": "isAnonymous", "type": "string"}, {"name": "isMinor", "type": "string"}, {"name": "isNew", "type": "string"}, {"name": "isRobot", "type": "string"}, {"name": "isUnpatrolled", "type": "string"}, {"name": "metroCode", "type": "string"}, {"name": "namespace", "type": "string"}, {"name": "page", "type": "string"}, {"name": "regionIsoCode", "type": "string"}, {"name": "regionName", "type": "string"}, {"name": "timestamp", "type": "string"}, {"name": "user", "type": "string"}]'
 )
)
PARTITIONED BY DAY)sql";
  Statement statement = ParseOk(sql);
  EXPECT_EQ(statement.kind, StatementKind::kInsert);
  EXPECT_EQ(statement.target, (std::vector<std::string>{"wikipedia"}));
  EXPECT_EQ(statement.target_pos.line, 1);
  EXPECT_EQ(statement.target_pos.column, 13);
  EXPECT_FALSE(statement.overwrite_present);
  ASSERT_TRUE(statement.partitioned_by.has_value());
  EXPECT_EQ(statement.partitioned_by->text, "DAY");
  EXPECT_FALSE(statement.partitioned_by->is_string);
  EXPECT_EQ(statement.partitioned_by->expr, nullptr);
  EXPECT_EQ(statement.partitioned_by->pos.line, 12);
  EXPECT_EQ(statement.partitioned_by->pos.column, 16);
  EXPECT_TRUE(statement.clustered_by.empty());
  ASSERT_NE(statement.query, nullptr);
  const SelectStmt& query = *statement.query;
  ASSERT_EQ(query.items.size(), 2u);
  EXPECT_EQ(DumpExpr(*query.items[0].expr), "TIME_PARSE(\"timestamp\")");
  EXPECT_EQ(query.items[0].alias, "__time");
  EXPECT_FALSE(query.items[0].alias_quoted);
  EXPECT_EQ(query.items[1].expr->kind, ExprKind::kStar);
  ASSERT_NE(query.from, nullptr);
  EXPECT_EQ(query.from->kind, TableRefKind::kFunction);
  EXPECT_TRUE(query.from->extend.empty());
  const Expr& extern_call = *query.from->function;
  EXPECT_EQ(extern_call.name, "EXTERN");
  ASSERT_EQ(extern_call.args.size(), 3u);
  EXPECT_EQ(extern_call.args[0]->text,
            "{\"type\": \"http\", \"uris\": [\"https://druid.apache.org/data/wikipedia.json.gz\"]}");
  EXPECT_EQ(extern_call.args[1]->text, "{\"type\": \"json\"}");
  EXPECT_EQ(extern_call.args[2]->text.rfind("[{\"name\": \"added\", \"type\": \"long\"}, ", 0), 0u);
  EXPECT_EQ(extern_call.args[2]->text.substr(extern_call.args[2]->text.size() - 35),
            "{\"name\": \"user\", \"type\": \"string\"}]");
  // The form with shell quoting ('\'' inside the JSON) is not SQL: it must fail cleanly.
  EXPECT_FALSE(ParseStatement("INSERT INTO w SELECT * FROM TABLE(EXTERN('\\''{}'\\'', '{}')) PARTITIONED BY DAY")
                   .ok());
}

TEST(ParserStatementTest, ConformanceSetups) {
  std::filesystem::path shared = FindSharedDir();
  ASSERT_FALSE(shared.empty()) << "shared/conformance not found; set STRATA_SHARED_DIR";
  std::ifstream in(shared / "conformance" / "setups.json");
  nlohmann::json setups = nlohmann::json::parse(in);
  struct Expected {
    std::string name;
    size_t num_extend;
    size_t num_items;
    std::string granularity;
  };
  std::vector<Expected> expected = {
      {"wikipedia", 20, 20, "DAY"}, {"foo", 6, 7, "YEAR"}, {"numfoo", 15, 16, "YEAR"}};
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.name);
    Statement statement = ParseOk(setups[e.name]["ingest_sql"].get<std::string>());
    EXPECT_EQ(statement.kind, StatementKind::kReplace);
    EXPECT_EQ(statement.target, (std::vector<std::string>{e.name}));
    EXPECT_TRUE(statement.overwrite_present);
    EXPECT_TRUE(statement.overwrite_all);
    EXPECT_EQ(statement.overwrite_where, nullptr);
    EXPECT_EQ(statement.overwrite_pos.line, 1);
    ASSERT_TRUE(statement.partitioned_by.has_value());
    EXPECT_EQ(statement.partitioned_by->text, e.granularity);
    ASSERT_NE(statement.query, nullptr);
    EXPECT_EQ(statement.query->items.size(), e.num_items);
    EXPECT_EQ(statement.query->items[0].alias, "__time");
    const TableRef& from = *statement.query->from;
    EXPECT_EQ(from.kind, TableRefKind::kFunction);
    EXPECT_EQ(from.function->name, "EXTERN");
    EXPECT_EQ(from.function->args.size(), 2u);
    EXPECT_EQ(from.function->args[1]->text, "{\"type\":\"json\"}");
    ASSERT_EQ(from.extend.size(), e.num_extend);
    EXPECT_EQ(from.extend[0].name, e.name == "wikipedia" ? "time" : "t");
    EXPECT_EQ(from.extend[0].type_name, "VARCHAR");
  }
  Statement wiki = ParseOk(setups["wikipedia"]["ingest_sql"].get<std::string>());
  EXPECT_EQ(wiki.query->from->extend.back().name, "deleted");
  EXPECT_EQ(wiki.query->from->extend.back().type_name, "BIGINT");
  EXPECT_EQ(wiki.query->items[16].expr->parts, (std::vector<std::string>{"user"}));
  Statement foo = ParseOk(setups["foo"]["ingest_sql"].get<std::string>());
  EXPECT_EQ(DumpExpr(*foo.query->items[4].expr), "CAST(1 AS BIGINT)");
  EXPECT_EQ(foo.query->items[4].alias, "cnt");
  EXPECT_TRUE(foo.query->items[4].alias_quoted);
}

TEST(ParserStatementTest, EveryConformanceStatementParses) {
  std::filesystem::path shared = FindSharedDir();
  ASSERT_FALSE(shared.empty()) << "shared/conformance not found; set STRATA_SHARED_DIR";
  std::ifstream in(shared / "conformance" / "cases.jsonl");
  ASSERT_TRUE(in.good());
  std::string line;
  int num_cases = 0;
  int num_statements = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json c = nlohmann::json::parse(line);
    ++num_cases;
    std::vector<std::string> statements;
    if (c.contains("sql") && c["sql"].is_string()) statements.push_back(c["sql"].get<std::string>());
    if (c.contains("ingest") && c["ingest"].is_array()) {
      for (const auto& ingest : c["ingest"]) statements.push_back(ingest.get<std::string>());
    }
    for (const std::string& sql : statements) {
      ++num_statements;
      // None of the cases expects a syntax error: those with expected_error_contains fail in the
      // binder (LIMIT without PARTITIONED BY ALL, REPLACE without time chunks).
      Result<Statement> result = ParseStatement(sql);
      EXPECT_TRUE(result.ok()) << c["id"] << ": " << result.status().ToString() << "\n" << sql;
    }
  }
  EXPECT_EQ(num_cases, 88);
  EXPECT_EQ(num_statements, 101);
}

TEST(ParserStatementTest, InsertReplaceShapes) {
  Statement insert = ParseOk("INSERT INTO \"druid\".\"dst\" (a, b) SELECT * FROM foo PARTITIONED BY ALL TIME");
  EXPECT_EQ(insert.kind, StatementKind::kInsert);
  EXPECT_EQ(insert.target, (std::vector<std::string>{"druid", "dst"}));
  EXPECT_EQ(insert.target_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(insert.partitioned_by->text, "ALL TIME");

  Statement overwrite_insert = ParseOk("INSERT INTO dst OVERWRITE ALL SELECT * FROM foo PARTITIONED BY DAY");
  EXPECT_TRUE(overwrite_insert.overwrite_present);
  EXPECT_EQ(overwrite_insert.overwrite_pos.column, 17);

  Statement parenthesized = ParseOk("INSERT INTO dst (SELECT * FROM foo) PARTITIONED BY DAY");
  EXPECT_TRUE(parenthesized.target_columns.empty());
  EXPECT_EQ(DumpQuery(*parenthesized.query), "SELECT * FROM foo");

  Statement with_query = ParseOk("INSERT INTO dst WITH x AS (SELECT 1 AS a) SELECT a FROM x PARTITIONED BY HOUR");
  EXPECT_EQ(DumpQuery(*with_query.query), "WITH x AS {SELECT 1 AS a} SELECT a FROM x");

  Statement limit = ParseOk(" INSERT INTO foo SELECT __time, m1 FROM foo LIMIT 50 PARTITIONED BY MONTH");
  EXPECT_EQ(DumpQuery(*limit.query), "SELECT __time, m1 FROM foo LIMIT 50");
  EXPECT_EQ(limit.pos.column, 2);
  EXPECT_EQ(limit.partitioned_by->text, "MONTH");

  Statement replace_where = ParseOk(
      "REPLACE INTO dst OVERWRITE WHERE __time >= TIMESTAMP '2000-01-01' AND __time < TIMESTAMP '2000-01-02'\n"
      "SELECT * FROM foo PARTITIONED BY DAY");
  EXPECT_EQ(replace_where.kind, StatementKind::kReplace);
  EXPECT_TRUE(replace_where.overwrite_present);
  EXPECT_FALSE(replace_where.overwrite_all);
  ASSERT_NE(replace_where.overwrite_where, nullptr);
  EXPECT_EQ(DumpExpr(*replace_where.overwrite_where),
            "(AND (>= __time TIMESTAMP '2000-01-01') (< __time TIMESTAMP '2000-01-02'))");
  EXPECT_EQ(DumpQuery(*replace_where.query), "SELECT * FROM foo");

  Statement bare_overwrite = ParseOk("REPLACE INTO foo1 OVERWRITE SELECT * FROM foo PARTITIONED BY ALL TIME");
  EXPECT_TRUE(bare_overwrite.overwrite_present);
  EXPECT_FALSE(bare_overwrite.overwrite_all);
  EXPECT_EQ(bare_overwrite.overwrite_where, nullptr);
  EXPECT_EQ(bare_overwrite.partitioned_by->text, "ALL TIME");

  Statement no_overwrite = ParseOk("REPLACE INTO foo1 SELECT * FROM foo PARTITIONED BY DAY");
  EXPECT_FALSE(no_overwrite.overwrite_present);

  Statement no_partition = ParseOk("INSERT INTO foo1 SELECT * FROM foo");
  EXPECT_FALSE(no_partition.partitioned_by.has_value());
}

TEST(ParserStatementTest, PartitionedByVariants) {
  struct Case {
    std::string clause;
    std::string text;
    bool is_string;
    std::string expr;
  };
  std::vector<Case> cases = {
      {"DAY", "DAY", false, ""},
      {"day", "DAY", false, ""},
      {"HOUR", "HOUR", false, ""},
      {"MONTH", "MONTH", false, ""},
      {"YEAR", "YEAR", false, ""},
      {"WEEK", "WEEK", false, ""},
      {"MINUTE", "MINUTE", false, ""},
      {"FIFTEEN_MINUTE", "FIFTEEN_MINUTE", false, ""},
      {"ALL", "ALL", false, ""},
      {"ALL TIME", "ALL TIME", false, ""},
      {"'P1D'", "P1D", true, ""},
      {"'ALL TIME'", "ALL TIME", true, ""},
      {"'day'", "day", true, ""},
      {"P1D", "P1D", false, ""},
      {"PT1H", "PT1H", false, ""},
      {"TIME_FLOOR(__time, 'PT1H')", "", false, "TIME_FLOOR(__time, 'PT1H')"},
      {"FLOOR(__time TO DAY)", "", false, "FLOOR(__time TO DAY)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.clause);
    Statement statement = ParseOk("INSERT INTO t SELECT * FROM foo PARTITIONED BY " + c.clause);
    ASSERT_TRUE(statement.partitioned_by.has_value());
    EXPECT_EQ(statement.partitioned_by->text, c.text);
    EXPECT_EQ(statement.partitioned_by->is_string, c.is_string);
    EXPECT_EQ(statement.partitioned_by->expr ? DumpExpr(*statement.partitioned_by->expr) : "", c.expr);
    EXPECT_EQ(statement.partitioned_by->pos.column, 48);
  }
}

TEST(ParserStatementTest, ClusteredBy) {
  Statement statement = ParseOk("INSERT INTO t SELECT * FROM foo PARTITIONED BY DAY CLUSTERED BY dim1, dim2 DESC, "
                                "LOWER(dim3) ASC");
  ASSERT_EQ(statement.clustered_by.size(), 3u);
  EXPECT_EQ(DumpExpr(*statement.clustered_by[2]), "LOWER(dim3)");
  EXPECT_EQ(statement.clustered_by_desc, (std::vector<bool>{false, true, false}));
  EXPECT_FALSE(statement.clustered_before_partitioned);

  Statement before = ParseOk("REPLACE INTO t OVERWRITE ALL SELECT * FROM foo CLUSTERED BY dim1 PARTITIONED BY DAY");
  EXPECT_TRUE(before.clustered_before_partitioned);
  EXPECT_EQ(before.partitioned_by->text, "DAY");
  ASSERT_EQ(before.clustered_by.size(), 1u);

  Statement only_clustered = ParseOk("INSERT INTO t SELECT * FROM foo CLUSTERED BY 1");
  EXPECT_FALSE(only_clustered.partitioned_by.has_value());
  EXPECT_FALSE(only_clustered.clustered_before_partitioned);
  EXPECT_EQ(DumpExpr(*only_clustered.clustered_by[0]), "1");
}

TEST(ParserStatementTest, SetStatements) {
  Statement statement = ParseOk(
      "SET sqlTimeZone = 'America/Los_Angeles';\nset \"useCache\" = TRUE; SET maxNumTasks = 3;"
      " SET neg = -1.5; SET nothing = NULL; SET x = FALSE;\nSELECT 1;");
  ASSERT_EQ(statement.set_statements.size(), 6u);
  EXPECT_EQ(statement.set_statements[0].first, "sqlTimeZone");
  EXPECT_EQ(DumpExpr(*statement.set_statements[0].second), "'America/Los_Angeles'");
  EXPECT_EQ(statement.set_statements[1].first, "useCache");
  EXPECT_EQ(DumpExpr(*statement.set_statements[1].second), "TRUE");
  EXPECT_EQ(DumpExpr(*statement.set_statements[2].second), "3");
  EXPECT_EQ(DumpExpr(*statement.set_statements[3].second), "-1.5dec");
  EXPECT_EQ(statement.set_statements[4].second->literal_kind, LiteralKind::kNull);
  EXPECT_EQ(DumpExpr(*statement.set_statements[5].second), "FALSE");
  EXPECT_EQ(statement.kind, StatementKind::kSelect);
  EXPECT_EQ(statement.pos.line, 3);
  EXPECT_EQ(DumpQuery(*statement.query), "SELECT 1");

  Statement with_insert = ParseOk("SET a = 1; INSERT INTO t SELECT 1 PARTITIONED BY ALL");
  EXPECT_EQ(with_insert.kind, StatementKind::kInsert);
  EXPECT_EQ(with_insert.set_statements.size(), 1u);

  Status not_literal = ParseError("SET a = b; SELECT 1");
  EXPECT_EQ(not_literal.message(),
            "Assigned value for SET statement [a] must be a literal, but got [b] (line [1], column [9])");
  Status missing_semicolon = ParseError("SET a = 1 SELECT 1");
  EXPECT_EQ(missing_semicolon.message().rfind("Received an unexpected token [SELECT] (line [1], column [11])", 0),
            0u)
      << missing_semicolon.message();
  Status only_set = ParseError("SET a = 1;");
  EXPECT_EQ(only_set.message().rfind("Received an unexpected token [<EOF>] (line [1], column [11])", 0), 0u);
}

TEST(ParserStatementTest, Explain) {
  Statement statement = ParseOk("EXPLAIN PLAN FOR SELECT 1");
  EXPECT_EQ(statement.kind, StatementKind::kExplain);
  ASSERT_NE(statement.explained, nullptr);
  EXPECT_EQ(statement.explained->kind, StatementKind::kSelect);
  EXPECT_EQ(DumpQuery(*statement.explained->query), "SELECT 1");
  EXPECT_EQ(statement.explained->pos.column, 18);

  Statement with_options = ParseOk("SET x = 1; EXPLAIN PLAN WITH IMPLEMENTATION FOR\n"
                                   "REPLACE INTO t OVERWRITE ALL SELECT * FROM foo PARTITIONED BY DAY");
  EXPECT_EQ(with_options.kind, StatementKind::kExplain);
  EXPECT_EQ(with_options.set_statements.size(), 1u);
  EXPECT_EQ(with_options.explained->kind, StatementKind::kReplace);
  EXPECT_TRUE(with_options.explained->overwrite_all);
  EXPECT_EQ(with_options.explained->partitioned_by->text, "DAY");

  EXPECT_TRUE(ParseStatement("EXPLAIN PLAN WITHOUT IMPLEMENTATION FOR SELECT 1").ok());
  EXPECT_TRUE(ParseStatement("EXPLAIN PLAN AS JSON FOR SELECT 1").ok());
  EXPECT_FALSE(ParseStatement("EXPLAIN PLAN FOR EXPLAIN PLAN FOR SELECT 1").ok());
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(ParserErrorTest, EndOfInput) {
  Status status = ParseError("SELECT a FROM");
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(status.error_code(), "invalidInput");
  EXPECT_EQ(status.message(),
            "Received an unexpected token [<EOF>] (line [1], column [14]), acceptable options: "
            "[\"(\", \"TABLE\", \"UNNEST\", <IDENTIFIER>, <QUOTED_IDENTIFIER>]");
  EXPECT_EQ(ContextValue(status, "line"), "1");
  EXPECT_EQ(ContextValue(status, "column"), "14");
  EXPECT_EQ(ContextValue(status, "sourceType"), "sql");
}

TEST(ParserErrorTest, MisspelledKeyword) {
  Status status = ParseError("SELECT * FRM foo");
  EXPECT_EQ(status.message().rfind("Received an unexpected token [FRM] (line [1], column [10]), acceptable options: [",
                                   0),
            0u)
      << status.message();
  EXPECT_NE(status.message().find("\"FROM\""), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("\"WHERE\""), std::string::npos);
  EXPECT_NE(status.message().find("<EOF>"), std::string::npos);
  EXPECT_EQ(ContextValue(status, "column"), "10");
}

TEST(ParserErrorTest, ErrorOnThirdLine) {
  Status status = ParseError("SELECT dim1,\n  COUNT(*)\nFROM foo WHERE dim1 = = 'a'");
  EXPECT_EQ(status.message().rfind("Received an unexpected token [=] (line [3], column [23]), acceptable options: [",
                                   0),
            0u)
      << status.message();
  EXPECT_NE(status.message().find("<expression>"), std::string::npos);
  EXPECT_EQ(ContextValue(status, "line"), "3");
  EXPECT_EQ(ContextValue(status, "column"), "23");
}

TEST(ParserErrorTest, MoreCases) {
  struct Case {
    std::string sql;
    std::string message_prefix;
  };
  std::vector<Case> cases = {
      {"SELECT 1 2", "Received an unexpected token [2] (line [1], column [10])"},
      {"SELECT a FROM t LIMIT 1 LIMIT 2", "Received an unexpected token [LIMIT] (line [1], column [25])"},
      {"SELECT FROM t", "Received an unexpected token [FROM] (line [1], column [8])"},
      {"SELECT a FROM t WHERE", "Received an unexpected token [<EOF>] (line [1], column [22]), acceptable options: "
                                "[<expression>]"},
      {"SELECT (1", "Received an unexpected token [<EOF>] (line [1], column [10])"},
      {"SELECT CAST(x VARCHAR)", "Received an unexpected token [VARCHAR] (line [1], column [15]), acceptable "
                                 "options: ["},
      {"INSERT foo SELECT 1", "Received an unexpected token [foo] (line [1], column [8]), acceptable options: "
                              "[\"INTO\"]"},
      {"INSERT INTO t SELECT 1 PARTITIONED DAY", "Received an unexpected token [DAY] (line [1], column [36]), "
                                                 "acceptable options: [\"BY\"]"},
      {"INSERT INTO t SELECT 1 PARTITIONED BY", "Received an unexpected token [<EOF>] (line [1], column [38]), "
                                                "acceptable options: [\"HOUR\", \"DAY\""},
      {"INSERT INTO t SELECT 1 PARTITIONED BY DAY PARTITIONED BY DAY",
       "Received an unexpected token [PARTITIONED] (line [1], column [43])"},
      {"DELETE FROM t", "Received an unexpected token [DELETE] (line [1], column [1]), acceptable options: "
                        "[\"EXPLAIN\", \"INSERT\", \"REPLACE\", \"WITH\", \"(\", \"SELECT\", \"VALUES\"]"},
      {"SELECT a FROM t; SELECT 2", "Received an unexpected token [SELECT] (line [1], column [18]), acceptable "
                                    "options: [<EOF>]"},
      {"SELECT x IS 5", "Received an unexpected token [5] (line [1], column [13])"},
      {"SELECT CASE WHEN a THEN 1", "Received an unexpected token [<EOF>] (line [1], column [26])"},
      {"SELECT * FROM TABLE(1)", "TABLE(...) must contain a table function call such as EXTERN(...), but got [1] "
                                 "(line [1], column [21])"},
      {"SELECT 1 FROM t GROUP BY CUBE(a, b, c, d, e, f, g, h, i, j, k, l, m)",
       "CUBE supports at most 12 elements (line [1], column [26])"},
      {"SELECT select FROM t", "Received an unexpected token [select] (line [1], column [8])"},
  };
  for (const Case& c : cases) {
    Status status = ParseError(c.sql);
    EXPECT_EQ(status.message().rfind(c.message_prefix, 0), 0u) << c.sql << "\n  got: " << status.message();
    EXPECT_EQ(status.error_code(), "invalidInput") << c.sql;
    EXPECT_NE(ContextValue(status, "line"), "<missing>") << c.sql;
  }
}

TEST(ParserErrorTest, DeepNestingIsAnErrorNotACrash) {
  std::string sql = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
  Status status = ParseError(sql);
  EXPECT_EQ(status.message().rfind("The statement is nested too deeply", 0), 0u) << status.message();
  std::string queries = "SELECT * FROM " + std::string(3000, '(') + "SELECT 1" + std::string(3000, ')');
  EXPECT_FALSE(ParseStatement(queries).ok());
  // Moderate nesting is fine.
  std::string fine = "SELECT " + std::string(100, '(') + "1" + std::string(100, ')');
  EXPECT_TRUE(ParseStatement(fine).ok());
}

TEST(ParserErrorTest, NestedParenthesesInFromParseInLinearishTime) {
  // Each "((" in FROM is decided once; without memoisation this would take 2^40 steps.
  std::string sql = "SELECT * FROM ";
  constexpr int kLevels = 40;
  for (int i = 0; i < kLevels; ++i) sql += "((SELECT * FROM ";
  sql += "t";
  for (int i = 0; i < kLevels; ++i) sql += ") UNION ALL (SELECT 1))";
  Result<Statement> result = ParseStatement(sql);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
}

}  // namespace
}  // namespace strata::sql
