// Recursive-descent parser for Druid SQL; see parser.h for what it covers and ast.h for the tree.
//
// Keywords are recognised by context: a word is a keyword where the grammar expects that keyword
// and an identifier elsewhere, unless it is in kReservedWords (the words that would make the grammar
// ambiguous: clause starters, join words, operators). So Druid column names such as `user`, `time`,
// `value`, `year`, `count` or `position` work unquoted.
//
// Syntax errors report the token where parsing stopped and the options that were tried there. Every
// Accept*/Expect* call that fails records what it wanted at the current token; Unexpected() lists
// them in the style of Druid's Calcite parser ("acceptable options: [\"FROM\", ...]").
#include "sql/parser.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sql/lexer.h"

namespace strata::sql {

namespace {

// Nesting limit (expression and query levels) so a hostile statement cannot exhaust the stack.
constexpr int kMaxNestingDepth = 250;
// Limits on GROUP BY expansion: CUBE of n elements yields 2^n grouping sets.
constexpr size_t kMaxCubeElements = 12;
constexpr size_t kMaxGroupingSets = 10000;

// Words that are never identifiers unless quoted: clause starters, join words, operator words and
// literals. Everything else (user, time, value, year, count, ...) is an identifier where one fits.
bool IsReservedWord(std::string_view upper) {
  static const std::unordered_set<std::string_view> kReservedWords = {
      "ALL",       "AND",     "ARRAY",  "AS",      "BETWEEN",  "BY",        "CASE",
      "CAST",      "CLUSTERED", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
      "DISTINCT",  "ELSE",    "END",    "ESCAPE",  "EXCEPT",   "EXISTS",    "EXTRACT",
      "FALSE",     "FETCH",   "FROM",   "FULL",    "GROUP",    "HAVING",    "IN",
      "INNER",     "INTERSECT", "INTERVAL", "INTO", "IS",      "JOIN",      "LATERAL",
      "LEFT",      "LIKE",    "LIMIT",  "LOCALTIME", "LOCALTIMESTAMP", "NATURAL", "NOT",
      "NULL",      "OFFSET",  "ON",     "OR",      "ORDER",    "OUTER",     "OVER",
      "PARTITIONED", "RIGHT", "SELECT", "TABLE",   "THEN",     "TRUE",      "UNION",
      "UNNEST",    "USING",   "VALUES", "WHEN",    "WHERE",    "WINDOW",    "WITH",
  };
  return kReservedWords.count(upper) > 0;
}

// Reserved words that are still function names when followed by "(": LEFT(s, n), RIGHT(s, n).
bool IsReservedFunctionName(std::string_view upper) { return upper == "LEFT" || upper == "RIGHT"; }

// Functions written without parentheses.
bool IsNiladicFunction(std::string_view upper) {
  return upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_DATE" || upper == "CURRENT_TIME" ||
         upper == "LOCALTIMESTAMP" || upper == "LOCALTIME";
}

// Units of INTERVAL literals; plural spellings are accepted and reported in the singular.
bool NormalizeIntervalUnit(std::string_view upper, std::string* unit) {
  static constexpr std::array<std::string_view, 10> kUnits = {
      "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"};
  for (std::string_view candidate : kUnits) {
    if (upper == candidate || (upper.size() == candidate.size() + 1 && upper.back() == 'S' &&
                               upper.substr(0, candidate.size()) == candidate)) {
      *unit = std::string(candidate);
      return true;
    }
  }
  return false;
}

SourcePos PosOf(const Token& token) { return SourcePos{token.line, token.column}; }

ExprPtr MakeExpr(ExprKind kind, SourcePos pos) {
  auto expr = std::make_unique<Expr>(kind);
  expr->pos = pos;
  return expr;
}

ExprPtr MakeLiteral(LiteralKind literal_kind, std::string text, SourcePos pos) {
  ExprPtr expr = MakeExpr(ExprKind::kLiteral, pos);
  expr->literal_kind = literal_kind;
  expr->text = std::move(text);
  return expr;
}

ExprPtr MakeBinary(std::string op, ExprPtr left, ExprPtr right) {
  ExprPtr expr = MakeExpr(ExprKind::kBinary, left->pos);
  expr->op = std::move(op);
  expr->args.push_back(std::move(left));
  expr->args.push_back(std::move(right));
  return expr;
}

// Adds an argument to a kFunction node, keeping `arg_names` the same length as `args`.
void AddArg(Expr* function, ExprPtr arg, std::string name = "") {
  function->args.push_back(std::move(arg));
  function->arg_names.push_back(std::move(name));
}

bool ExprEquals(const Expr* a, const Expr* b);

bool OrderItemsEqual(const std::vector<OrderItem>& a, const std::vector<OrderItem>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].ascending != b[i].ascending || a[i].nulls_first != b[i].nulls_first ||
        !ExprEquals(a[i].expr.get(), b[i].expr.get())) {
      return false;
    }
  }
  return true;
}

// Structural equality, used to deduplicate GROUP BY expressions of grouping sets. Quoting does not
// matter (identifiers keep their case either way); expressions holding subqueries never compare
// equal.
bool ExprEquals(const Expr* a, const Expr* b) {
  if (a == nullptr || b == nullptr) return a == b;
  if (a->kind != b->kind || a->literal_kind != b->literal_kind || a->text != b->text ||
      a->parts != b->parts || a->op != b->op || a->name != b->name || a->unit != b->unit ||
      a->unit_to != b->unit_to || a->type_name != b->type_name || a->distinct != b->distinct ||
      a->negated != b->negated || a->symmetric != b->symmetric || a->bool_value != b->bool_value ||
      a->param_index != b->param_index || a->args.size() != b->args.size() ||
      a->arg_names != b->arg_names || a->case_has_operand != b->case_has_operand ||
      a->case_has_else != b->case_has_else || a->within_order.size() != b->within_order.size()) {
    return false;
  }
  if (a->subquery != nullptr || b->subquery != nullptr) return false;
  for (size_t i = 0; i < a->args.size(); ++i) {
    if (!ExprEquals(a->args[i].get(), b->args[i].get())) return false;
  }
  if (!ExprEquals(a->filter.get(), b->filter.get())) return false;
  for (size_t i = 0; i < a->within_order.size(); ++i) {
    if (a->within_order[i].second != b->within_order[i].second ||
        !ExprEquals(a->within_order[i].first.get(), b->within_order[i].first.get())) {
      return false;
    }
  }
  if ((a->over == nullptr) != (b->over == nullptr)) return false;
  if (a->over != nullptr) {
    const WindowSpec& x = *a->over;
    const WindowSpec& y = *b->over;
    if (x.partition_by.size() != y.partition_by.size() || !OrderItemsEqual(x.order_by, y.order_by) ||
        x.frame_unit != y.frame_unit || x.frame_start.has_value() != y.frame_start.has_value() ||
        x.frame_end.has_value() != y.frame_end.has_value()) {
      return false;
    }
    for (size_t i = 0; i < x.partition_by.size(); ++i) {
      if (!ExprEquals(x.partition_by[i].get(), y.partition_by[i].get())) return false;
    }
    if (x.frame_start && (x.frame_start->kind != y.frame_start->kind ||
                          !ExprEquals(x.frame_start->offset.get(), y.frame_start->offset.get()))) {
      return false;
    }
    if (x.frame_end && (x.frame_end->kind != y.frame_end->kind ||
                        !ExprEquals(x.frame_end->offset.get(), y.frame_end->offset.get()))) {
      return false;
    }
  }
  return true;
}

// A VALUES list with nothing else attached: becomes a kValues FROM item.
bool IsPlainValues(const SelectStmt& stmt) {
  return !stmt.values.empty() && stmt.set_op == SetOp::kNone && stmt.with.empty() &&
         stmt.order_by.empty() && stmt.limit == nullptr && stmt.offset == nullptr;
}

// SELECT * FROM (inner): used when ORDER BY / LIMIT / WITH must apply on top of a parenthesised
// query that already has its own.
std::unique_ptr<SelectStmt> WrapInSelectStar(std::unique_ptr<SelectStmt> inner) {
  auto outer = std::make_unique<SelectStmt>();
  outer->pos = inner->pos;
  SelectItem star;
  star.expr = MakeExpr(ExprKind::kStar, inner->pos);
  outer->items.push_back(std::move(star));
  auto from = std::make_unique<TableRef>(TableRefKind::kSubquery);
  from->pos = inner->pos;
  from->subquery = std::move(inner);
  outer->from = std::move(from);
  return outer;
}

// Grouping sets under construction: lists of indexes into the raw (not yet deduplicated) list of
// GROUP BY expressions.
using GroupingSetList = std::vector<std::vector<int>>;

std::vector<int> UnionOfSets(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), tokens_(std::move(tokens)) {}

  Result<Statement> ParseStatementText() {
    std::vector<std::pair<std::string, ExprPtr>> set_statements;
    while (PeekKeyword("SET")) {
      Consume();
      std::string key;
      bool key_quoted = false;
      if (Current().kind == TokenKind::kWord) {
        key = Current().value;
        Consume();
      } else {
        RETURN_IF_ERROR(ParseIdentifier(&key, &key_quoted));
      }
      RETURN_IF_ERROR(ExpectOp("="));
      const Token& value_token = Current();
      ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
      if (value->kind != ExprKind::kLiteral) {
        return SqlSyntaxError("Assigned value for SET statement [" + key +
                                  "] must be a literal, but got [" + TokenImage(sql_, value_token) +
                                  "] (line [" + std::to_string(value_token.line) + "], column [" +
                                  std::to_string(value_token.column) + "])",
                              value_token.line, value_token.column);
      }
      RETURN_IF_ERROR(ExpectOp(";"));
      set_statements.emplace_back(std::move(key), std::move(value));
    }
    ASSIGN_OR_RETURN(Statement statement, ParseMainStatement(/*allow_explain=*/true));
    statement.set_statements = std::move(set_statements);
    AcceptOp(";");
    RETURN_IF_ERROR(ExpectEof());
    return statement;
  }

  Result<ExprPtr> ParseExpressionText() {
    ASSIGN_OR_RETURN(ExprPtr expr, ParseExpr());
    RETURN_IF_ERROR(ExpectEof());
    return expr;
  }

 private:
  // What Unexpected() lists: a keyword or operator (shown in double quotes) or a token class such
  // as <IDENTIFIER> (shown as is). Views point at string literals.
  struct ExpectedItem {
    std::string_view text;
    bool quoted;
  };

  // A parser position to come back to when a tentative parse fails.
  struct Mark {
    size_t pos;
    int next_param;
    std::vector<ExpectedItem> expected;
    size_t expected_pos;
  };

  // Counts nesting levels while a parse function runs.
  class DepthScope {
   public:
    explicit DepthScope(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthScope() { --*depth_; }
    DepthScope(const DepthScope&) = delete;
    DepthScope& operator=(const DepthScope&) = delete;
    bool exceeded() const { return *depth_ > kMaxNestingDepth; }

   private:
    int* depth_;
  };

  // ------------------------------------------------------------------------------------------
  // Token access

  const Token& Current() const { return tokens_[pos_]; }
  const Token& Peek(size_t ahead) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  void Consume() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  bool AtEof() const { return Current().kind == TokenKind::kEof; }

  static bool IsKeyword(const Token& token, std::string_view keyword) {
    return token.kind == TokenKind::kWord && token.upper == keyword;
  }
  static bool IsOp(const Token& token, std::string_view op) {
    return token.kind == TokenKind::kOperator && token.value == op;
  }
  static bool IsReserved(const Token& token) {
    return token.kind == TokenKind::kWord && IsReservedWord(token.upper);
  }
  // A token that can be used as an identifier: a quoted identifier or an unreserved word.
  static bool IsIdentifierToken(const Token& token) {
    return token.kind == TokenKind::kQuotedIdentifier || (token.kind == TokenKind::kWord && !IsReserved(token));
  }
  bool PeekKeyword(std::string_view keyword, size_t ahead = 0) const { return IsKeyword(Peek(ahead), keyword); }
  bool PeekOp(std::string_view op, size_t ahead = 0) const { return IsOp(Peek(ahead), op); }
  // True when the tokens from `ahead` on start a query: SELECT, WITH or VALUES.
  bool PeekQueryStart(size_t ahead = 0) const {
    return PeekKeyword("SELECT", ahead) || PeekKeyword("WITH", ahead) || PeekKeyword("VALUES", ahead);
  }

  void NoteExpected(std::string_view text, bool quoted) {
    if (expected_pos_ != pos_) {
      if (expected_pos_ != kNoPosition && pos_ < expected_pos_) return;
      expected_.clear();
      expected_pos_ = pos_;
    }
    if (expected_.size() < 256) expected_.push_back(ExpectedItem{text, quoted});
  }
  void NoteKeyword(std::string_view keyword) { NoteExpected(keyword, true); }
  void NoteClass(std::string_view token_class) { NoteExpected(token_class, false); }

  bool AcceptKeyword(std::string_view keyword) {
    if (PeekKeyword(keyword)) {
      Consume();
      return true;
    }
    NoteKeyword(keyword);
    return false;
  }
  bool AcceptOp(std::string_view op) {
    if (PeekOp(op)) {
      Consume();
      return true;
    }
    NoteExpected(op, true);
    return false;
  }
  Status ExpectKeyword(std::string_view keyword) {
    if (AcceptKeyword(keyword)) return Status::OK();
    return Unexpected();
  }
  Status ExpectOp(std::string_view op) {
    if (AcceptOp(op)) return Status::OK();
    return Unexpected();
  }
  Status ExpectEof() {
    if (AtEof()) return Status::OK();
    NoteClass("<EOF>");
    return Unexpected();
  }

  Mark Save() const { return Mark{pos_, next_param_, expected_, expected_pos_}; }
  void Restore(Mark mark) {
    pos_ = mark.pos;
    next_param_ = mark.next_param;
    expected_ = std::move(mark.expected);
    expected_pos_ = mark.expected_pos;
  }

  // LIMIT / OFFSET / FETCH counts: an unsigned number or a `?` (Calcite's grammar; no sign, no
  // expression).
  Result<ExprPtr> ParseLimitValue() {
    const Token& t = Current();
    bool number = t.kind == TokenKind::kInteger || t.kind == TokenKind::kDecimal || t.kind == TokenKind::kApprox;
    bool param = t.kind == TokenKind::kOperator && t.value == "?";
    if (!number && !param) return Unexpected();
    return ParseUnary();
  }

  // The error for the current token, listing what was expected there.
  Status Unexpected() const {
    const Token& token = Current();
    std::string message = "Received an unexpected token [" + TokenImage(sql_, token) + "] (line [" +
                          std::to_string(token.line) + "], column [" + std::to_string(token.column) + "])";
    if (expected_pos_ == pos_ && !expected_.empty()) {
      message += ", acceptable options: [";
      std::vector<std::string_view> seen;
      for (const ExpectedItem& item : expected_) {
        if (std::find(seen.begin(), seen.end(), item.text) != seen.end()) continue;
        if (!seen.empty()) message += ", ";
        seen.push_back(item.text);
        if (item.quoted) {
          message += "\"";
          message += item.text;
          message += "\"";
        } else {
          message += item.text;
        }
      }
      message += "]";
    }
    return SqlSyntaxError(std::move(message), token.line, token.column);
  }

  Status ErrorAt(const Token& token, const std::string& what) const {
    return SqlSyntaxError(what + " (line [" + std::to_string(token.line) + "], column [" +
                              std::to_string(token.column) + "])",
                          token.line, token.column);
  }

  Status TooDeep() const {
    return ErrorAt(Current(), "The statement is nested too deeply (more than " +
                                  std::to_string(kMaxNestingDepth) + " levels)");
  }

  // ------------------------------------------------------------------------------------------
  // Names

  // Reads one identifier: a quoted identifier or an unreserved word.
  Status ParseIdentifier(std::string* name, bool* quoted) {
    const Token& token = Current();
    if (IsIdentifierToken(token)) {
      *name = token.value;
      *quoted = token.kind == TokenKind::kQuotedIdentifier;
      Consume();
      return Status::OK();
    }
    NoteClass("<IDENTIFIER>");
    NoteClass("<QUOTED_IDENTIFIER>");
    return Unexpected();
  }

  Result<std::string> ParseIdentifierName() {
    std::string name;
    bool quoted = false;
    RETURN_IF_ERROR(ParseIdentifier(&name, &quoted));
    return name;
  }

  // After a ".", any word is accepted as a name part (t.value, INFORMATION_SCHEMA.COLUMNS).
  Status ParseNamePartAfterDot(std::string* name, bool* quoted) {
    const Token& token = Current();
    if (token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier) {
      *name = token.value;
      *quoted = token.kind == TokenKind::kQuotedIdentifier;
      Consume();
      return Status::OK();
    }
    NoteClass("<IDENTIFIER>");
    NoteClass("<QUOTED_IDENTIFIER>");
    return Unexpected();
  }

  // name [. name]*
  Result<std::vector<std::string>> ParseCompoundName() {
    std::vector<std::string> parts;
    std::string part;
    bool quoted = false;
    RETURN_IF_ERROR(ParseIdentifier(&part, &quoted));
    parts.push_back(std::move(part));
    while (AcceptOp(".")) {
      RETURN_IF_ERROR(ParseNamePartAfterDot(&part, &quoted));
      parts.push_back(std::move(part));
    }
    return parts;
  }

  // ( name, name, ... )
  Result<std::vector<std::string>> ParseParenthesizedNames() {
    RETURN_IF_ERROR(ExpectOp("("));
    std::vector<std::string> names;
    do {
      ASSIGN_OR_RETURN(std::string name, ParseIdentifierName());
      names.push_back(std::move(name));
    } while (AcceptOp(","));
    RETURN_IF_ERROR(ExpectOp(")"));
    return names;
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  Result<Statement> ParseMainStatement(bool allow_explain) {
    Statement statement;
    statement.pos = PosOf(Current());
    if (allow_explain && PeekKeyword("EXPLAIN")) {
      Consume();
      RETURN_IF_ERROR(ExpectKeyword("PLAN"));
      // Options between PLAN and FOR (WITH IMPLEMENTATION, AS JSON, ...) do not change the plan.
      static constexpr std::array<std::string_view, 13> kExplainOptionWords = {
          "WITH", "WITHOUT", "IMPLEMENTATION", "TYPE", "AS", "JSON", "XML", "DOT", "TEXT",
          "INCLUDING", "EXCLUDING", "ALL", "ATTRIBUTES"};
      while (!AcceptKeyword("FOR")) {
        const Token& token = Current();
        bool is_option = token.kind == TokenKind::kWord &&
                         std::find(kExplainOptionWords.begin(), kExplainOptionWords.end(), token.upper) !=
                             kExplainOptionWords.end();
        if (!is_option) return Unexpected();
        Consume();
      }
      ASSIGN_OR_RETURN(Statement explained, ParseMainStatement(/*allow_explain=*/false));
      statement.kind = StatementKind::kExplain;
      statement.explained = std::make_unique<Statement>(std::move(explained));
      return statement;
    }
    if (PeekKeyword("INSERT")) return ParseInsertOrReplace(StatementKind::kInsert);
    if (PeekKeyword("REPLACE")) return ParseInsertOrReplace(StatementKind::kReplace);
    if (!PeekQueryStart() && !PeekOp("(")) {
      if (allow_explain) NoteKeyword("EXPLAIN");
      NoteKeyword("INSERT");
      NoteKeyword("REPLACE");
    }
    statement.kind = StatementKind::kSelect;
    ASSIGN_OR_RETURN(statement.query, ParseQuery());
    return statement;
  }

  Result<Statement> ParseInsertOrReplace(StatementKind kind) {
    Statement statement;
    statement.kind = kind;
    statement.pos = PosOf(Current());
    Consume();  // INSERT / REPLACE
    RETURN_IF_ERROR(ExpectKeyword("INTO"));
    statement.target_pos = PosOf(Current());
    ASSIGN_OR_RETURN(statement.target, ParseCompoundName());
    if (PeekOp("(") && !PeekQueryStart(1) && !PeekOp("(", 1)) {
      ASSIGN_OR_RETURN(statement.target_columns, ParseParenthesizedNames());
    }
    if (PeekKeyword("OVERWRITE")) {
      statement.overwrite_present = true;
      statement.overwrite_pos = PosOf(Current());
      Consume();
      if (AcceptKeyword("ALL")) {
        statement.overwrite_all = true;
      } else if (AcceptKeyword("WHERE")) {
        ASSIGN_OR_RETURN(statement.overwrite_where, ParseExpr());
      }
    } else {
      NoteKeyword("OVERWRITE");
    }
    ASSIGN_OR_RETURN(statement.query, ParseQuery());
    bool clustered_seen = false;
    while (true) {
      if (!statement.partitioned_by.has_value() && PeekKeyword("PARTITIONED")) {
        Consume();
        RETURN_IF_ERROR(ExpectKeyword("BY"));
        ASSIGN_OR_RETURN(PartitionedBy partitioned_by, ParsePartitionedBy());
        statement.partitioned_by = std::move(partitioned_by);
        if (clustered_seen) statement.clustered_before_partitioned = true;
        continue;
      }
      if (!clustered_seen && PeekKeyword("CLUSTERED")) {
        Consume();
        clustered_seen = true;
        RETURN_IF_ERROR(ExpectKeyword("BY"));
        do {
          ASSIGN_OR_RETURN(ExprPtr expr, ParseExpr());
          bool descending = false;
          if (AcceptKeyword("DESC")) {
            descending = true;
          } else {
            AcceptKeyword("ASC");
          }
          statement.clustered_by.push_back(std::move(expr));
          statement.clustered_by_desc.push_back(descending);
        } while (AcceptOp(","));
        continue;
      }
      if (!statement.partitioned_by.has_value()) NoteKeyword("PARTITIONED");
      if (!clustered_seen) NoteKeyword("CLUSTERED");
      break;
    }
    return statement;
  }

  Result<PartitionedBy> ParsePartitionedBy() {
    PartitionedBy partitioned_by;
    const Token& token = Current();
    partitioned_by.pos = PosOf(token);
    if (token.kind == TokenKind::kString) {
      partitioned_by.text = token.value;
      partitioned_by.is_string = true;
      Consume();
    } else if (IsKeyword(token, "ALL")) {
      Consume();
      partitioned_by.text = AcceptKeyword("TIME") ? "ALL TIME" : "ALL";
    } else if ((token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier) &&
               PeekOp("(", 1)) {
      ASSIGN_OR_RETURN(partitioned_by.expr, ParseExpr());
    } else if (token.kind == TokenKind::kWord && !IsReserved(token)) {
      partitioned_by.text = token.upper;  // HOUR, DAY, P1D, PT1H, ...
      Consume();
    } else if (token.kind == TokenKind::kQuotedIdentifier) {
      partitioned_by.text = token.value;
      Consume();
    } else {
      for (std::string_view option : {"HOUR", "DAY", "MONTH", "YEAR", "ALL", "ALL TIME"}) NoteKeyword(option);
      NoteClass("<QUOTED_STRING>");
      NoteClass("<period>");
      NoteClass("TIME_FLOOR(...)");
      NoteClass("FLOOR(... TO ...)");
      return Unexpected();
    }
    return partitioned_by;
  }

  // ------------------------------------------------------------------------------------------
  // Queries

  // [WITH ...] set-operation [ORDER BY ...] [LIMIT n] [OFFSET n] [FETCH ...]
  Result<std::unique_ptr<SelectStmt>> ParseQuery() {
    DepthScope depth(&depth_);
    if (depth.exceeded()) return TooDeep();
    SourcePos pos = PosOf(Current());
    std::vector<CommonTableExpr> with;
    if (AcceptKeyword("WITH")) {
      do {
        CommonTableExpr cte;
        cte.pos = PosOf(Current());
        ASSIGN_OR_RETURN(cte.name, ParseIdentifierName());
        if (PeekOp("(")) {
          ASSIGN_OR_RETURN(cte.columns, ParseParenthesizedNames());
        }
        RETURN_IF_ERROR(ExpectKeyword("AS"));
        RETURN_IF_ERROR(ExpectOp("("));
        ASSIGN_OR_RETURN(cte.query, ParseQuery());
        RETURN_IF_ERROR(ExpectOp(")"));
        with.push_back(std::move(cte));
      } while (AcceptOp(","));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> query, ParseUnionTerm());
    if (!with.empty()) {
      if (!query->with.empty()) query = WrapInSelectStar(std::move(query));
      query->with = std::move(with);
      query->pos = pos;
    }

    std::vector<OrderItem> order_by;
    if (AcceptKeyword("ORDER")) {
      RETURN_IF_ERROR(ExpectKeyword("BY"));
      ASSIGN_OR_RETURN(order_by, ParseOrderItems());
    }
    ExprPtr limit;
    ExprPtr offset;
    while (true) {
      if (limit == nullptr && PeekKeyword("LIMIT")) {
        Consume();
        if (AcceptKeyword("ALL")) continue;  // no limit
        ASSIGN_OR_RETURN(limit, ParseLimitValue());
        continue;
      }
      if (offset == nullptr && PeekKeyword("OFFSET")) {
        Consume();
        ASSIGN_OR_RETURN(offset, ParseLimitValue());
        if (!AcceptKeyword("ROWS")) AcceptKeyword("ROW");
        continue;
      }
      if (limit == nullptr && PeekKeyword("FETCH")) {
        const Token& fetch = Current();
        Consume();
        if (!AcceptKeyword("FIRST")) RETURN_IF_ERROR(ExpectKeyword("NEXT"));
        if (PeekKeyword("ROW") || PeekKeyword("ROWS")) {
          limit = MakeLiteral(LiteralKind::kInteger, "1", PosOf(fetch));
        } else {
          ASSIGN_OR_RETURN(limit, ParseLimitValue());
        }
        if (!AcceptKeyword("ROWS")) RETURN_IF_ERROR(ExpectKeyword("ROW"));
        RETURN_IF_ERROR(ExpectKeyword("ONLY"));
        continue;
      }
      if (limit == nullptr) {
        NoteKeyword("LIMIT");
        NoteKeyword("FETCH");
      }
      if (offset == nullptr) NoteKeyword("OFFSET");
      break;
    }
    if (!order_by.empty() || limit != nullptr || offset != nullptr) {
      if (!query->order_by.empty() || query->limit != nullptr || query->offset != nullptr) {
        query = WrapInSelectStar(std::move(query));
      }
      query->order_by = std::move(order_by);
      query->limit = std::move(limit);
      query->offset = std::move(offset);
    }
    return query;
  }

  // term [UNION [ALL | DISTINCT] | EXCEPT [ALL | DISTINCT] term]*   (left-associative)
  Result<std::unique_ptr<SelectStmt>> ParseUnionTerm() {
    ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> left, ParseIntersectTerm());
    while (true) {
      SetOp op;
      if (AcceptKeyword("UNION")) {
        op = AcceptKeyword("ALL") ? SetOp::kUnionAll : SetOp::kUnion;
        if (op == SetOp::kUnion) AcceptKeyword("DISTINCT");
      } else if (AcceptKeyword("EXCEPT")) {
        op = SetOp::kExcept;
        if (!AcceptKeyword("ALL")) AcceptKeyword("DISTINCT");
      } else {
        break;
      }
      ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> right, ParseIntersectTerm());
      auto node = std::make_unique<SelectStmt>();
      node->pos = left->pos;
      node->set_op = op;
      node->left = std::move(left);
      node->right = std::move(right);
      left = std::move(node);
    }
    return left;
  }

  // primary [INTERSECT [ALL | DISTINCT] primary]*   (binds tighter than UNION, as in standard SQL)
  Result<std::unique_ptr<SelectStmt>> ParseIntersectTerm() {
    ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> left, ParseQueryPrimary());
    while (AcceptKeyword("INTERSECT")) {
      if (!AcceptKeyword("ALL")) AcceptKeyword("DISTINCT");
      ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> right, ParseQueryPrimary());
      auto node = std::make_unique<SelectStmt>();
      node->pos = left->pos;
      node->set_op = SetOp::kIntersect;
      node->left = std::move(left);
      node->right = std::move(right);
      left = std::move(node);
    }
    return left;
  }

  Result<std::unique_ptr<SelectStmt>> ParseQueryPrimary() {
    if (PeekKeyword("SELECT")) return ParseSelect();
    if (PeekKeyword("VALUES")) return ParseValues();
    if (AcceptOp("(")) {
      ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> query, ParseQuery());
      RETURN_IF_ERROR(ExpectOp(")"));
      return query;
    }
    NoteKeyword("SELECT");
    NoteKeyword("VALUES");
    NoteKeyword("WITH");
    return Unexpected();
  }

  Result<std::unique_ptr<SelectStmt>> ParseValues() {
    auto stmt = std::make_unique<SelectStmt>();
    stmt->pos = PosOf(Current());
    Consume();  // VALUES
    do {
      std::vector<ExprPtr> row;
      if (AcceptOp("(")) {
        do {
          ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
          row.push_back(std::move(value));
        } while (AcceptOp(","));
        RETURN_IF_ERROR(ExpectOp(")"));
      } else {
        ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
        row.push_back(std::move(value));
      }
      stmt->values.push_back(std::move(row));
    } while (AcceptOp(","));
    return stmt;
  }

  Result<std::unique_ptr<SelectStmt>> ParseSelect() {
    auto stmt = std::make_unique<SelectStmt>();
    stmt->pos = PosOf(Current());
    Consume();  // SELECT
    if (AcceptKeyword("DISTINCT")) {
      stmt->distinct = true;
    } else {
      AcceptKeyword("ALL");
    }
    do {
      ASSIGN_OR_RETURN(SelectItem item, ParseSelectItem());
      stmt->items.push_back(std::move(item));
    } while (AcceptOp(","));
    if (AcceptKeyword("FROM")) {
      ASSIGN_OR_RETURN(stmt->from, ParseFromList());
    }
    if (AcceptKeyword("WHERE")) {
      ASSIGN_OR_RETURN(stmt->where, ParseExpr());
    }
    if (AcceptKeyword("GROUP")) {
      RETURN_IF_ERROR(ExpectKeyword("BY"));
      RETURN_IF_ERROR(ParseGroupBy(stmt.get()));
    }
    if (AcceptKeyword("HAVING")) {
      ASSIGN_OR_RETURN(stmt->having, ParseExpr());
    }
    return stmt;
  }

  Result<SelectItem> ParseSelectItem() {
    SelectItem item;
    if (PeekOp("*")) {
      item.expr = MakeExpr(ExprKind::kStar, PosOf(Current()));
      Consume();
      return item;
    }
    ASSIGN_OR_RETURN(item.expr, ParseExpr());
    if (item.expr->kind == ExprKind::kStar) return item;  // t.*
    if (AcceptKeyword("AS")) {
      RETURN_IF_ERROR(ParseIdentifier(&item.alias, &item.alias_quoted));
    } else if (IsIdentifierToken(Current())) {
      RETURN_IF_ERROR(ParseIdentifier(&item.alias, &item.alias_quoted));
    } else {
      NoteClass("<IDENTIFIER>");
    }
    return item;
  }

  Result<std::vector<OrderItem>> ParseOrderItems() {
    std::vector<OrderItem> items;
    do {
      OrderItem item;
      ASSIGN_OR_RETURN(item.expr, ParseExpr());
      if (AcceptKeyword("DESC")) {
        item.ascending = false;
      } else {
        AcceptKeyword("ASC");
      }
      if (AcceptKeyword("NULLS")) {
        if (AcceptKeyword("FIRST")) {
          item.nulls_first = true;
        } else {
          RETURN_IF_ERROR(ExpectKeyword("LAST"));
          item.nulls_first = false;
        }
      }
      items.push_back(std::move(item));
    } while (AcceptOp(","));
    return items;
  }

  // ------------------------------------------------------------------------------------------
  // GROUP BY

  Status ParseGroupBy(SelectStmt* stmt) {
    stmt->group_by_present = true;
    std::vector<ExprPtr> raw;  // every expression as written, before deduplication
    GroupingSetList sets = {{}};
    std::string kind;
    do {
      GroupingSetList item_sets;
      const Token& start = Current();
      if (PeekOp("(") && PeekOp(")", 1)) {
        Consume();
        Consume();
        item_sets = {{}};
      } else if (IsGroupingConstruct()) {
        std::string item_kind;
        ASSIGN_OR_RETURN(item_sets, ParseGroupingConstruct(&raw, &item_kind));
        if (kind.empty()) kind = item_kind;
      } else {
        ASSIGN_OR_RETURN(std::vector<int> element, ParseGroupingElement(&raw));
        item_sets = {std::move(element)};
      }
      GroupingSetList product;
      for (const std::vector<int>& left : sets) {
        for (const std::vector<int>& right : item_sets) {
          if (product.size() >= kMaxGroupingSets) {
            return ErrorAt(start, "GROUP BY expands to more than " + std::to_string(kMaxGroupingSets) +
                                      " grouping sets");
          }
          product.push_back(UnionOfSets(left, right));
        }
      }
      sets = std::move(product);
    } while (AcceptOp(","));

    if (kind.empty()) {
      stmt->group_by = std::move(raw);
      return Status::OK();
    }
    // Deduplicate expressions; each set refers to the first occurrence, listed once.
    std::vector<int> dedup_index(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      int found = -1;
      for (size_t k = 0; k < stmt->group_by.size(); ++k) {
        if (ExprEquals(stmt->group_by[k].get(), raw[i].get())) {
          found = static_cast<int>(k);
          break;
        }
      }
      if (found < 0) {
        found = static_cast<int>(stmt->group_by.size());
        stmt->group_by.push_back(std::move(raw[i]));
      }
      dedup_index[i] = found;
    }
    for (const std::vector<int>& set : sets) {
      std::vector<int> mapped;
      for (int raw_index : set) {
        int index = dedup_index[raw_index];
        if (std::find(mapped.begin(), mapped.end(), index) == mapped.end()) mapped.push_back(index);
      }
      stmt->grouping_sets.push_back(std::move(mapped));
    }
    stmt->grouping_kind = std::move(kind);
    return Status::OK();
  }

  bool IsGroupingConstruct() const {
    return (PeekKeyword("GROUPING") && PeekKeyword("SETS", 1)) ||
           ((PeekKeyword("ROLLUP") || PeekKeyword("CUBE")) && PeekOp("(", 1));
  }

  // GROUPING SETS (...), ROLLUP (...) or CUBE (...), expanded into sets of raw indexes.
  Result<GroupingSetList> ParseGroupingConstruct(std::vector<ExprPtr>* raw, std::string* kind) {
    DepthScope depth(&depth_);
    if (depth.exceeded()) return TooDeep();
    const Token& start = Current();
    GroupingSetList result;
    if (PeekKeyword("GROUPING")) {
      Consume();
      Consume();  // SETS
      *kind = "GROUPING SETS";
      RETURN_IF_ERROR(ExpectOp("("));
      do {
        if (PeekOp("(") && PeekOp(")", 1)) {
          Consume();
          Consume();
          result.push_back({});
        } else if (IsGroupingConstruct()) {
          std::string nested_kind;
          ASSIGN_OR_RETURN(GroupingSetList nested, ParseGroupingConstruct(raw, &nested_kind));
          result.insert(result.end(), nested.begin(), nested.end());
        } else {
          ASSIGN_OR_RETURN(std::vector<int> element, ParseGroupingElement(raw));
          result.push_back(std::move(element));
        }
        if (result.size() > kMaxGroupingSets) {
          return ErrorAt(start, "GROUP BY expands to more than " + std::to_string(kMaxGroupingSets) +
                                    " grouping sets");
        }
      } while (AcceptOp(","));
      RETURN_IF_ERROR(ExpectOp(")"));
      return result;
    }
    bool is_rollup = PeekKeyword("ROLLUP");
    *kind = is_rollup ? "ROLLUP" : "CUBE";
    Consume();
    RETURN_IF_ERROR(ExpectOp("("));
    std::vector<std::vector<int>> elements;
    do {
      ASSIGN_OR_RETURN(std::vector<int> element, ParseGroupingElement(raw));
      elements.push_back(std::move(element));
    } while (AcceptOp(","));
    RETURN_IF_ERROR(ExpectOp(")"));
    if (is_rollup) {
      // ROLLUP(a, b, c): (a, b, c), (a, b), (a), ().
      for (size_t count = elements.size() + 1; count-- > 0;) {
        std::vector<int> set;
        for (size_t i = 0; i < count; ++i) set = UnionOfSets(set, elements[i]);
        result.push_back(std::move(set));
      }
      return result;
    }
    if (elements.size() > kMaxCubeElements) {
      return ErrorAt(start, "CUBE supports at most " + std::to_string(kMaxCubeElements) + " elements");
    }
    // CUBE(a, b): (a, b), (a), (b), () — every subset, larger first element-wise.
    size_t num_elements = elements.size();
    for (size_t mask = (size_t{1} << num_elements); mask-- > 0;) {
      std::vector<int> set;
      for (size_t i = 0; i < num_elements; ++i) {
        if (mask & (size_t{1} << (num_elements - 1 - i))) set = UnionOfSets(set, elements[i]);
      }
      result.push_back(std::move(set));
    }
    return result;
  }

  // An expression, or a parenthesised list of expressions (a, b) grouped together. Returns the raw
  // indexes of the expressions. A parenthesised single expression is just that expression.
  Result<std::vector<int>> ParseGroupingElement(std::vector<ExprPtr>* raw) {
    if (PeekOp("(") && ParenthesesHoldTopLevelComma()) {
      Consume();
      std::vector<int> element;
      do {
        ASSIGN_OR_RETURN(ExprPtr expr, ParseExpr());
        element.push_back(static_cast<int>(raw->size()));
        raw->push_back(std::move(expr));
      } while (AcceptOp(","));
      RETURN_IF_ERROR(ExpectOp(")"));
      return element;
    }
    ASSIGN_OR_RETURN(ExprPtr expr, ParseExpr());
    raw->push_back(std::move(expr));
    return std::vector<int>{static_cast<int>(raw->size()) - 1};
  }

  // Whether the parenthesis at the current token holds a "," outside nested ( ) and [ ].
  bool ParenthesesHoldTopLevelComma() const {
    int depth = 0;
    for (size_t i = pos_; i < tokens_.size(); ++i) {
      const Token& token = tokens_[i];
      if (token.kind != TokenKind::kOperator) continue;
      if (token.value == "(" || token.value == "[") {
        ++depth;
      } else if (token.value == ")" || token.value == "]") {
        if (--depth == 0) return false;
      } else if (token.value == "," && depth == 1) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // FROM

  // item [, item | [INNER|LEFT|RIGHT|FULL|CROSS] JOIN item [ON cond | USING (cols)]]*
  // Commas and JOINs associate to the left with equal precedence, as in Calcite.
  Result<std::unique_ptr<TableRef>> ParseFromList() {
    ASSIGN_OR_RETURN(std::unique_ptr<TableRef> left, ParseTableFactor());
    while (true) {
      std::string join_type;
      if (AcceptOp(",")) {
        join_type = "COMMA";
      } else if (AcceptKeyword("CROSS")) {
        RETURN_IF_ERROR(ExpectKeyword("JOIN"));
        join_type = "CROSS";
      } else if (AcceptKeyword("INNER")) {
        RETURN_IF_ERROR(ExpectKeyword("JOIN"));
        join_type = "INNER";
      } else if (AcceptKeyword("JOIN")) {
        join_type = "INNER";
      } else if (PeekKeyword("LEFT") || PeekKeyword("RIGHT") || PeekKeyword("FULL")) {
        join_type = Current().upper;
        Consume();
        AcceptKeyword("OUTER");
        RETURN_IF_ERROR(ExpectKeyword("JOIN"));
      } else {
        NoteKeyword("LEFT");
        NoteKeyword("RIGHT");
        NoteKeyword("FULL");
        break;
      }
      ASSIGN_OR_RETURN(std::unique_ptr<TableRef> right, ParseTableFactor());
      auto join = std::make_unique<TableRef>(TableRefKind::kJoin);
      join->pos = left->pos;
      join->join_type = std::move(join_type);
      join->left = std::move(left);
      join->right = std::move(right);
      if (join->join_type != "COMMA" && join->join_type != "CROSS") {
        if (AcceptKeyword("ON")) {
          ASSIGN_OR_RETURN(join->join_condition, ParseExpr());
        } else if (AcceptKeyword("USING")) {
          ASSIGN_OR_RETURN(join->using_columns, ParseParenthesizedNames());
        }
      }
      left = std::move(join);
    }
    return left;
  }

  Result<std::unique_ptr<TableRef>> ParseTableFactor() {
    DepthScope depth(&depth_);
    if (depth.exceeded()) return TooDeep();
    const Token& start = Current();
    if (PeekOp("(")) {
      bool is_query = PeekQueryStart(1);
      if (!is_query && PeekOp("(", 1)) {
        // ((SELECT ...) UNION ...) is a query; ((a JOIN b) JOIN c) is not: try the query first.
        // The answer is remembered per token so nested parentheses are not re-tried (which would
        // take time exponential in the nesting depth).
        auto memo = paren_query_memo_.find(pos_);
        if (memo != paren_query_memo_.end()) {
          is_query = memo->second;
        } else {
          size_t open_pos = pos_;
          Mark mark = Save();
          Consume();
          Result<std::unique_ptr<SelectStmt>> query = ParseQuery();
          bool closed = query.ok() && PeekOp(")");
          Restore(std::move(mark));
          paren_query_memo_[open_pos] = closed;
          is_query = closed;
        }
      }
      Consume();  // (
      if (is_query) {
        ASSIGN_OR_RETURN(std::unique_ptr<SelectStmt> query, ParseQuery());
        RETURN_IF_ERROR(ExpectOp(")"));
        bool plain_values = IsPlainValues(*query);
        auto ref = std::make_unique<TableRef>(plain_values ? TableRefKind::kValues : TableRefKind::kSubquery);
        ref->pos = PosOf(start);
        ref->subquery = std::move(query);
        RETURN_IF_ERROR(ParseTableAlias(ref.get()));
        return ref;
      }
      ASSIGN_OR_RETURN(std::unique_ptr<TableRef> inner, ParseFromList());
      RETURN_IF_ERROR(ExpectOp(")"));
      return inner;
    }
    if (PeekKeyword("TABLE") && PeekOp("(", 1)) {
      Consume();
      Consume();
      const Token& function_start = Current();
      ASSIGN_OR_RETURN(ExprPtr function, ParseExpr());
      if (function->kind != ExprKind::kFunction) {
        return ErrorAt(function_start, "TABLE(...) must contain a table function call such as EXTERN(...), but got [" +
                                           TokenImage(sql_, function_start) + "]");
      }
      RETURN_IF_ERROR(ExpectOp(")"));
      auto ref = std::make_unique<TableRef>(TableRefKind::kFunction);
      ref->pos = PosOf(start);
      ref->function = std::move(function);
      RETURN_IF_ERROR(ParseExtend(ref.get(), /*keyword_optional=*/true));
      RETURN_IF_ERROR(ParseTableAlias(ref.get()));
      return ref;
    }
    if (PeekKeyword("UNNEST") && PeekOp("(", 1)) {
      Consume();
      Consume();
      auto ref = std::make_unique<TableRef>(TableRefKind::kUnnest);
      ref->pos = PosOf(start);
      ASSIGN_OR_RETURN(ref->function, ParseExpr());
      RETURN_IF_ERROR(ExpectOp(")"));
      RETURN_IF_ERROR(ParseTableAlias(ref.get()));
      return ref;
    }
    if (IsIdentifierToken(start) && PeekOp("(", 1)) {
      // A table function without TABLE(...), e.g. FROM EXTERN(...) EXTEND (...).
      auto ref = std::make_unique<TableRef>(TableRefKind::kFunction);
      ref->pos = PosOf(start);
      ASSIGN_OR_RETURN(ref->function, ParseFunctionCall());
      RETURN_IF_ERROR(ParseExtend(ref.get(), /*keyword_optional=*/true));
      RETURN_IF_ERROR(ParseTableAlias(ref.get()));
      return ref;
    }
    if (IsIdentifierToken(start)) {
      auto ref = std::make_unique<TableRef>(TableRefKind::kTable);
      ref->pos = PosOf(start);
      ASSIGN_OR_RETURN(ref->name, ParseCompoundName());
      RETURN_IF_ERROR(ParseExtend(ref.get(), /*keyword_optional=*/false));
      RETURN_IF_ERROR(ParseTableAlias(ref.get()));
      return ref;
    }
    NoteExpected("(", true);
    NoteKeyword("TABLE");
    NoteKeyword("UNNEST");
    NoteClass("<IDENTIFIER>");
    NoteClass("<QUOTED_IDENTIFIER>");
    return Unexpected();
  }

  // [EXTEND] (name TYPE, ...). With keyword_optional, a "(" right after the item starts the list.
  Status ParseExtend(TableRef* ref, bool keyword_optional) {
    if (AcceptKeyword("EXTEND")) {
      return ParseColumnDecls(&ref->extend);
    }
    if (keyword_optional && PeekOp("(")) return ParseColumnDecls(&ref->extend);
    return Status::OK();
  }

  Status ParseColumnDecls(std::vector<ColumnDecl>* columns) {
    RETURN_IF_ERROR(ExpectOp("("));
    do {
      ColumnDecl column;
      const Token& name = Current();
      column.pos = PosOf(name);
      if (name.kind != TokenKind::kWord && name.kind != TokenKind::kQuotedIdentifier) {
        NoteClass("<IDENTIFIER>");
        NoteClass("<QUOTED_IDENTIFIER>");
        return Unexpected();
      }
      column.name = name.value;
      Consume();
      ASSIGN_OR_RETURN(column.type_name, ParseTypeName());
      columns->push_back(std::move(column));
    } while (AcceptOp(","));
    return ExpectOp(")");
  }

  // [AS] alias [(col, ...)]. For table functions the list may declare types: AS t(a VARCHAR, ...),
  // which then count as EXTEND columns.
  Status ParseTableAlias(TableRef* ref) {
    if (AcceptKeyword("AS")) {
      ASSIGN_OR_RETURN(ref->alias, ParseIdentifierName());
    } else if (IsIdentifierToken(Current()) && !PeekKeyword("EXTEND")) {
      ASSIGN_OR_RETURN(ref->alias, ParseIdentifierName());
    } else {
      NoteKeyword("AS");
      return Status::OK();
    }
    if (!AcceptOp("(")) return Status::OK();
    do {
      const Token& name = Current();
      ASSIGN_OR_RETURN(std::string column, ParseIdentifierName());
      if (ref->kind == TableRefKind::kFunction && !PeekOp(",") && !PeekOp(")")) {
        ColumnDecl decl;
        decl.name = std::move(column);
        decl.pos = PosOf(name);
        ASSIGN_OR_RETURN(decl.type_name, ParseTypeName());
        ref->extend.push_back(std::move(decl));
      } else {
        ref->column_aliases.push_back(std::move(column));
      }
    } while (AcceptOp(","));
    return ExpectOp(")");
  }

  // A SQL type: VARCHAR, DOUBLE PRECISION, CHARACTER VARYING, DECIMAL(10, 2), TIMESTAMP(3),
  // TIMESTAMP WITH LOCAL TIME ZONE, VARCHAR ARRAY, TYPE('COMPLEX<json>') (given as COMPLEX<json>),
  // or a "quoted" type name (kept as written).
  Result<std::string> ParseTypeName() {
    const Token& token = Current();
    std::string type;
    if (IsKeyword(token, "TYPE") && PeekOp("(", 1)) {
      Consume();
      Consume();
      if (Current().kind != TokenKind::kString) {
        NoteClass("<QUOTED_STRING>");
        return Unexpected();
      }
      type = Current().value;
      Consume();
      RETURN_IF_ERROR(ExpectOp(")"));
    } else if (token.kind == TokenKind::kQuotedIdentifier) {
      type = token.value;
      Consume();
    } else if (token.kind == TokenKind::kWord && !IsKeyword(token, "NULL") && !IsKeyword(token, "NOT")) {
      type = token.upper;
      Consume();
      if (type == "DOUBLE" && AcceptKeyword("PRECISION")) {
        type += " PRECISION";
      } else if ((type == "CHARACTER" || type == "CHAR") && AcceptKeyword("VARYING")) {
        type += " VARYING";
      } else if (type == "INTERVAL") {
        std::string unit;
        if (Current().kind == TokenKind::kWord && NormalizeIntervalUnit(Current().upper, &unit)) {
          Consume();
          type += " " + unit;
          if (AcceptKeyword("TO")) {
            if (Current().kind != TokenKind::kWord || !NormalizeIntervalUnit(Current().upper, &unit)) {
              NoteClass("<interval unit>");
              return Unexpected();
            }
            Consume();
            type += " TO " + unit;
          }
        }
      }
      if (PeekOp("(") && Peek(1).kind == TokenKind::kInteger) {
        Consume();
        type += "(" + Current().value;
        Consume();
        if (AcceptOp(",")) {
          if (Current().kind != TokenKind::kInteger) {
            NoteClass("<UNSIGNED_INTEGER_LITERAL>");
            return Unexpected();
          }
          type += ", " + Current().value;
          Consume();
        }
        RETURN_IF_ERROR(ExpectOp(")"));
        type += ")";
      }
      if ((type.rfind("TIMESTAMP", 0) == 0 || type.rfind("TIME", 0) == 0) &&
          (PeekKeyword("WITH") || PeekKeyword("WITHOUT"))) {
        bool with = PeekKeyword("WITH");
        Consume();
        bool local = with && AcceptKeyword("LOCAL");
        RETURN_IF_ERROR(ExpectKeyword("TIME"));
        RETURN_IF_ERROR(ExpectKeyword("ZONE"));
        type += with ? (local ? " WITH LOCAL TIME ZONE" : " WITH TIME ZONE") : " WITHOUT TIME ZONE";
      }
    } else {
      NoteClass("<type>");
      return Unexpected();
    }
    while (PeekKeyword("ARRAY") || PeekKeyword("MULTISET")) {
      type += " " + Current().upper;
      Consume();
    }
    return type;
  }

  // ------------------------------------------------------------------------------------------
  // Expressions, lowest precedence first: OR, AND, NOT, predicates, ||, + -, * / %, unary, postfix.

  Result<ExprPtr> ParseExpr() {
    DepthScope depth(&depth_);
    if (depth.exceeded()) return TooDeep();
    return ParseOr();
  }

  Result<ExprPtr> ParseOr() {
    std::vector<ExprPtr> operands;
    do {
      ASSIGN_OR_RETURN(ExprPtr operand, ParseAnd());
      operands.push_back(std::move(operand));
    } while (AcceptKeyword("OR"));
    return BuildChain("OR", &operands, 0, operands.size());
  }

  Result<ExprPtr> ParseAnd() {
    std::vector<ExprPtr> operands;
    do {
      ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
      operands.push_back(std::move(operand));
    } while (AcceptKeyword("AND"));
    return BuildChain("AND", &operands, 0, operands.size());
  }

  // Combines (*operands)[begin, end) with the associative operator `op`: left-deep for short chains
  // (the usual shape), balanced halves above that, so that a generated chain of thousands of ORs
  // does not make the tree, and every recursive pass over it, thousands of levels deep.
  static ExprPtr BuildChain(const std::string& op, std::vector<ExprPtr>* operands, size_t begin, size_t end) {
    constexpr size_t kMaxLeftDeepChain = 16;
    if (end - begin <= kMaxLeftDeepChain) {
      ExprPtr left = std::move((*operands)[begin]);
      for (size_t i = begin + 1; i < end; ++i) left = MakeBinary(op, std::move(left), std::move((*operands)[i]));
      return left;
    }
    size_t middle = begin + (end - begin) / 2;
    ExprPtr left = BuildChain(op, operands, begin, middle);
    ExprPtr right = BuildChain(op, operands, middle, end);
    return MakeBinary(op, std::move(left), std::move(right));
  }

  Result<ExprPtr> ParseNot() {
    if (PeekKeyword("NOT")) {
      DepthScope depth(&depth_);
      if (depth.exceeded()) return TooDeep();
      ExprPtr expr = MakeExpr(ExprKind::kUnary, PosOf(Current()));
      Consume();
      expr->op = "NOT";
      ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
      expr->args.push_back(std::move(operand));
      return expr;
    }
    return ParsePredicate();
  }

  // Comparisons and IS / LIKE / BETWEEN / IN predicates (left-associative).
  Result<ExprPtr> ParsePredicate() {
    ASSIGN_OR_RETURN(ExprPtr left, ParseConcat());
    while (true) {
      const Token& token = Current();
      if (token.kind == TokenKind::kOperator) {
        if (std::find(kComparisonOps.begin(), kComparisonOps.end(), token.value) != kComparisonOps.end()) {
          std::string op = token.value == "!=" ? "<>" : token.value;
          Consume();
          ASSIGN_OR_RETURN(ExprPtr right, ParseConcat());
          left = MakeBinary(std::move(op), std::move(left), std::move(right));
          continue;
        }
      }
      for (std::string_view op : kComparisonOps) NoteExpected(op, true);
      if (AcceptKeyword("IS")) {
        bool negated = AcceptKeyword("NOT");
        if (AcceptKeyword("NULL")) {
          ExprPtr expr = MakeExpr(ExprKind::kIsNull, left->pos);
          expr->negated = negated;
          expr->args.push_back(std::move(left));
          left = std::move(expr);
        } else if (PeekKeyword("TRUE") || PeekKeyword("FALSE") || PeekKeyword("UNKNOWN")) {
          ExprPtr expr = MakeExpr(ExprKind::kIsBool, left->pos);
          expr->negated = negated;
          expr->bool_value = Current().upper;
          Consume();
          expr->args.push_back(std::move(left));
          left = std::move(expr);
        } else if (AcceptKeyword("DISTINCT")) {
          RETURN_IF_ERROR(ExpectKeyword("FROM"));
          ASSIGN_OR_RETURN(ExprPtr right, ParseConcat());
          left = MakeBinary(negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", std::move(left), std::move(right));
        } else {
          NoteKeyword("TRUE");
          NoteKeyword("FALSE");
          NoteKeyword("UNKNOWN");
          return Unexpected();
        }
        continue;
      }
      bool negated = false;
      if (PeekKeyword("NOT") && (PeekKeyword("LIKE", 1) || PeekKeyword("BETWEEN", 1) || PeekKeyword("IN", 1))) {
        Consume();
        negated = true;
      }
      if (AcceptKeyword("LIKE")) {
        ExprPtr expr = MakeExpr(ExprKind::kLike, left->pos);
        expr->negated = negated;
        expr->args.push_back(std::move(left));
        ASSIGN_OR_RETURN(ExprPtr pattern, ParseConcat());
        expr->args.push_back(std::move(pattern));
        if (AcceptKeyword("ESCAPE")) {
          ASSIGN_OR_RETURN(ExprPtr escape, ParseConcat());
          expr->args.push_back(std::move(escape));
        }
        left = std::move(expr);
        continue;
      }
      if (AcceptKeyword("BETWEEN")) {
        ExprPtr expr = MakeExpr(ExprKind::kBetween, left->pos);
        expr->negated = negated;
        if (AcceptKeyword("SYMMETRIC")) {
          expr->symmetric = true;
        } else {
          AcceptKeyword("ASYMMETRIC");
        }
        expr->args.push_back(std::move(left));
        ASSIGN_OR_RETURN(ExprPtr low, ParseConcat());
        expr->args.push_back(std::move(low));
        RETURN_IF_ERROR(ExpectKeyword("AND"));
        ASSIGN_OR_RETURN(ExprPtr high, ParseConcat());
        expr->args.push_back(std::move(high));
        left = std::move(expr);
        continue;
      }
      if (AcceptKeyword("IN")) {
        RETURN_IF_ERROR(ExpectOp("("));
        if (PeekQueryStart()) {
          ExprPtr expr = MakeExpr(ExprKind::kInSubquery, left->pos);
          expr->negated = negated;
          expr->args.push_back(std::move(left));
          ASSIGN_OR_RETURN(expr->subquery, ParseQuery());
          RETURN_IF_ERROR(ExpectOp(")"));
          left = std::move(expr);
          continue;
        }
        ExprPtr expr = MakeExpr(ExprKind::kInList, left->pos);
        expr->negated = negated;
        expr->args.push_back(std::move(left));
        do {
          ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
          expr->args.push_back(std::move(item));
        } while (AcceptOp(","));
        RETURN_IF_ERROR(ExpectOp(")"));
        left = std::move(expr);
        continue;
      }
      NoteKeyword("NOT");
      break;
    }
    return left;
  }

  Result<ExprPtr> ParseConcat() {
    ASSIGN_OR_RETURN(ExprPtr left, ParseAdditive());
    while (AcceptOp("||")) {
      ASSIGN_OR_RETURN(ExprPtr right, ParseAdditive());
      left = MakeBinary("||", std::move(left), std::move(right));
    }
    return left;
  }

  Result<ExprPtr> ParseAdditive() {
    ASSIGN_OR_RETURN(ExprPtr left, ParseMultiplicative());
    while (PeekOp("+") || PeekOp("-")) {
      std::string op = Current().value;
      Consume();
      ASSIGN_OR_RETURN(ExprPtr right, ParseMultiplicative());
      left = MakeBinary(std::move(op), std::move(left), std::move(right));
    }
    NoteExpected("+", true);
    NoteExpected("-", true);
    return left;
  }

  Result<ExprPtr> ParseMultiplicative() {
    ASSIGN_OR_RETURN(ExprPtr left, ParseUnary());
    while (PeekOp("*") || PeekOp("/") || PeekOp("%")) {
      std::string op = Current().value;
      Consume();
      ASSIGN_OR_RETURN(ExprPtr right, ParseUnary());
      left = MakeBinary(std::move(op), std::move(left), std::move(right));
    }
    NoteExpected("*", true);
    NoteExpected("/", true);
    NoteExpected("%", true);
    return left;
  }

  // Unary + and -. A sign directly before a number is folded into the literal (-1 is the integer
  // literal "-1"), so negative numbers stay literals (SET values, LIMIT, VALUES).
  Result<ExprPtr> ParseUnary() {
    if (!PeekOp("-") && !PeekOp("+")) return ParsePostfix();
    DepthScope depth(&depth_);
    if (depth.exceeded()) return TooDeep();
    const Token& sign = Current();
    Consume();
    const Token& next = Current();
    if (next.kind == TokenKind::kInteger || next.kind == TokenKind::kDecimal || next.kind == TokenKind::kApprox) {
      LiteralKind literal_kind = next.kind == TokenKind::kInteger   ? LiteralKind::kInteger
                                 : next.kind == TokenKind::kDecimal ? LiteralKind::kDecimal
                                                                    : LiteralKind::kApprox;
      ExprPtr literal = MakeLiteral(literal_kind, (sign.value == "-" ? "-" : "") + next.value, PosOf(sign));
      Consume();
      return ParsePostfixOperators(std::move(literal));
    }
    ExprPtr expr = MakeExpr(ExprKind::kUnary, PosOf(sign));
    expr->op = sign.value;
    ASSIGN_OR_RETURN(ExprPtr operand, ParseUnary());
    expr->args.push_back(std::move(operand));
    return expr;
  }

  Result<ExprPtr> ParsePostfix() {
    ASSIGN_OR_RETURN(ExprPtr expr, ParsePrimary());
    return ParsePostfixOperators(std::move(expr));
  }

  // expr::TYPE (PostgreSQL-style cast).
  Result<ExprPtr> ParsePostfixOperators(ExprPtr expr) {
    while (AcceptOp("::")) {
      ExprPtr cast = MakeExpr(ExprKind::kCast, expr->pos);
      ASSIGN_OR_RETURN(cast->type_name, ParseTypeName());
      cast->args.push_back(std::move(expr));
      expr = std::move(cast);
    }
    return expr;
  }

  Result<ExprPtr> ParsePrimary() {
    const Token& token = Current();
    SourcePos pos = PosOf(token);
    switch (token.kind) {
      case TokenKind::kInteger: {
        Consume();
        return MakeLiteral(LiteralKind::kInteger, token.value, pos);
      }
      case TokenKind::kDecimal: {
        Consume();
        return MakeLiteral(LiteralKind::kDecimal, token.value, pos);
      }
      case TokenKind::kApprox: {
        Consume();
        return MakeLiteral(LiteralKind::kApprox, token.value, pos);
      }
      case TokenKind::kString: {
        Consume();
        return MakeLiteral(LiteralKind::kString, token.value, pos);
      }
      case TokenKind::kOperator: {
        if (token.value == "?") {
          Consume();
          ExprPtr param = MakeExpr(ExprKind::kParameter, pos);
          param->param_index = next_param_++;
          return param;
        }
        if (token.value == "(") {
          Consume();
          if (PeekQueryStart()) {
            ExprPtr expr = MakeExpr(ExprKind::kScalarSubquery, pos);
            ASSIGN_OR_RETURN(expr->subquery, ParseQuery());
            RETURN_IF_ERROR(ExpectOp(")"));
            return expr;
          }
          ASSIGN_OR_RETURN(ExprPtr inner, ParseExpr());
          if (AcceptOp(",")) {
            // A row value, (a, b, ...): only meaningful on either side of IN.
            ExprPtr row = MakeExpr(ExprKind::kRow, pos);
            row->args.push_back(std::move(inner));
            do {
              ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
              row->args.push_back(std::move(item));
            } while (AcceptOp(","));
            RETURN_IF_ERROR(ExpectOp(")"));
            return row;
          }
          RETURN_IF_ERROR(ExpectOp(")"));
          return inner;
        }
        break;
      }
      case TokenKind::kQuotedIdentifier: {
        if (PeekOp("(", 1)) return ParseFunctionCall();
        return ParseIdentifierChain();
      }
      case TokenKind::kWord:
        return ParseWordPrimary();
      case TokenKind::kEof:
        break;
    }
    NoteClass("<expression>");
    return Unexpected();
  }

  // A primary expression that starts with a word: literals, special forms, function calls and
  // column references.
  Result<ExprPtr> ParseWordPrimary() {
    const Token& token = Current();
    const std::string& word = token.upper;
    SourcePos pos = PosOf(token);
    bool call = PeekOp("(", 1);
    if (word == "NULL") {
      Consume();
      return MakeLiteral(LiteralKind::kNull, "", pos);
    }
    if (word == "TRUE" || word == "FALSE") {
      Consume();
      return MakeLiteral(LiteralKind::kBoolean, word, pos);
    }
    if ((word == "TIMESTAMP" || word == "DATE" || word == "TIME") && Peek(1).kind == TokenKind::kString) {
      LiteralKind literal_kind = word == "TIMESTAMP" ? LiteralKind::kTimestamp
                                 : word == "DATE"    ? LiteralKind::kDate
                                                     : LiteralKind::kTime;
      Consume();
      std::string text = Current().value;
      Consume();
      return MakeLiteral(literal_kind, std::move(text), pos);
    }
    if (word == "CASE") return ParseCase();
    if (word == "INTERVAL") return ParseInterval();
    if (word == "CAST" && call) return ParseCast();
    if (word == "EXTRACT" && call) return ParseExtract();
    if (word == "EXISTS" && call) {
      Consume();
      Consume();
      ExprPtr expr = MakeExpr(ExprKind::kExists, pos);
      ASSIGN_OR_RETURN(expr->subquery, ParseQuery());
      RETURN_IF_ERROR(ExpectOp(")"));
      return expr;
    }
    if (word == "ARRAY" && PeekOp("[", 1)) return ParseArray();
    if ((word == "FLOOR" || word == "CEIL" || word == "CEILING") && call) return ParseFloorCeil();
    if (word == "POSITION" && call) return ParsePosition();
    if (word == "TRIM" && call) return ParseTrim();
    if (word == "SUBSTRING" && call) return ParseSubstring();
    if (IsNiladicFunction(word) && !call) {
      Consume();
      ExprPtr expr = MakeExpr(ExprKind::kFunction, pos);
      expr->name = word;
      return expr;
    }
    if (call && (!IsReservedWord(word) || IsReservedFunctionName(word) || word == "ARRAY" ||
                 IsNiladicFunction(word))) {
      return ParseFunctionCall();
    }
    if (IsReservedWord(word)) {
      NoteClass("<expression>");
      return Unexpected();
    }
    return ParseIdentifierChain();
  }

  // name [. name]* [. *]  →  kIdentifier, or kStar for t.*
  Result<ExprPtr> ParseIdentifierChain() {
    ExprPtr expr = MakeExpr(ExprKind::kIdentifier, PosOf(Current()));
    std::string part;
    bool quoted = false;
    RETURN_IF_ERROR(ParseIdentifier(&part, &quoted));
    expr->parts.push_back(std::move(part));
    expr->quoted.push_back(quoted);
    while (AcceptOp(".")) {
      if (AcceptOp("*")) {
        expr->kind = ExprKind::kStar;
        expr->quoted.clear();
        return expr;
      }
      RETURN_IF_ERROR(ParseNamePartAfterDot(&part, &quoted));
      expr->parts.push_back(std::move(part));
      expr->quoted.push_back(quoted);
    }
    return expr;
  }

  // name ( [DISTINCT|ALL] [* | [name =>] expr, ...] [ORDER BY ...] )
  //   [WITHIN GROUP (ORDER BY ...)] [FILTER (WHERE cond)] [OVER (window)]
  Result<ExprPtr> ParseFunctionCall() {
    const Token& name = Current();
    ExprPtr function = MakeExpr(ExprKind::kFunction, PosOf(name));
    function->name = name.kind == TokenKind::kQuotedIdentifier ? name.value : name.upper;
    Consume();
    RETURN_IF_ERROR(ExpectOp("("));
    if (AcceptOp(")")) return ParseFunctionSuffixes(std::move(function));
    if (AcceptKeyword("DISTINCT")) {
      function->distinct = true;
    } else {
      AcceptKeyword("ALL");
    }
    if (PeekOp("*") && PeekOp(")", 1)) {
      AddArg(function.get(), MakeExpr(ExprKind::kStar, PosOf(Current())));
      Consume();
      Consume();
      return ParseFunctionSuffixes(std::move(function));
    }
    RETURN_IF_ERROR(ParseFunctionArg(function.get()));
    return ParseRemainingArgs(std::move(function));
  }

  // [name =>] expr
  Status ParseFunctionArg(Expr* function) {
    std::string arg_name;
    if ((Current().kind == TokenKind::kWord || Current().kind == TokenKind::kQuotedIdentifier) &&
        PeekOp("=>", 1)) {
      arg_name = Current().value;
      Consume();
      Consume();
    }
    ASSIGN_OR_RETURN(ExprPtr arg, ParseExpr());
    AddArg(function, std::move(arg), std::move(arg_name));
    return Status::OK();
  }

  // The rest of a call whose first argument is read: [, arg]* [RETURNING type] [ORDER BY ...] )
  // and the suffixes. RETURNING (JSON_VALUE(x, '$.a' RETURNING BIGINT)) goes to `type_name`.
  Result<ExprPtr> ParseRemainingArgs(ExprPtr function) {
    while (AcceptOp(",")) RETURN_IF_ERROR(ParseFunctionArg(function.get()));
    if (AcceptKeyword("RETURNING")) {
      ASSIGN_OR_RETURN(function->type_name, ParseTypeName());
    }
    if (AcceptKeyword("ORDER")) {
      RETURN_IF_ERROR(ExpectKeyword("BY"));
      RETURN_IF_ERROR(ParseWithinOrder(function.get()));
    }
    RETURN_IF_ERROR(ExpectOp(")"));
    return ParseFunctionSuffixes(std::move(function));
  }

  // [WITHIN GROUP (ORDER BY ...)] [FILTER (WHERE cond)] [OVER (window)]
  Result<ExprPtr> ParseFunctionSuffixes(ExprPtr function) {
    if (PeekKeyword("WITHIN") && PeekKeyword("GROUP", 1)) {
      Consume();
      Consume();
      RETURN_IF_ERROR(ExpectOp("("));
      RETURN_IF_ERROR(ExpectKeyword("ORDER"));
      RETURN_IF_ERROR(ExpectKeyword("BY"));
      RETURN_IF_ERROR(ParseWithinOrder(function.get()));
      RETURN_IF_ERROR(ExpectOp(")"));
    }
    if (PeekKeyword("FILTER") && PeekOp("(", 1)) {
      Consume();
      Consume();
      RETURN_IF_ERROR(ExpectKeyword("WHERE"));
      ASSIGN_OR_RETURN(function->filter, ParseExpr());
      RETURN_IF_ERROR(ExpectOp(")"));
    }
    if (AcceptKeyword("OVER")) {
      RETURN_IF_ERROR(ExpectOp("("));
      ASSIGN_OR_RETURN(function->over, ParseWindowSpec());
      RETURN_IF_ERROR(ExpectOp(")"));
    }
    return function;
  }

  // An ordinary call named by `name` whose first argument `first` is already read.
  Result<ExprPtr> ContinueOrdinaryCall(const Token& name, ExprPtr first) {
    ExprPtr function = MakeExpr(ExprKind::kFunction, PosOf(name));
    function->name = name.upper;
    AddArg(function.get(), std::move(first));
    return ParseRemainingArgs(std::move(function));
  }

  // ORDER BY items of an aggregate call; `within_order` holds (expression, ascending).
  Status ParseWithinOrder(Expr* function) {
    ASSIGN_OR_RETURN(std::vector<OrderItem> items, ParseOrderItems());
    for (OrderItem& item : items) function->within_order.emplace_back(std::move(item.expr), item.ascending);
    return Status::OK();
  }

  Result<std::unique_ptr<WindowSpec>> ParseWindowSpec() {
    auto window = std::make_unique<WindowSpec>();
    if (AcceptKeyword("PARTITION")) {
      RETURN_IF_ERROR(ExpectKeyword("BY"));
      do {
        ASSIGN_OR_RETURN(ExprPtr expr, ParseExpr());
        window->partition_by.push_back(std::move(expr));
      } while (AcceptOp(","));
    }
    if (AcceptKeyword("ORDER")) {
      RETURN_IF_ERROR(ExpectKeyword("BY"));
      ASSIGN_OR_RETURN(window->order_by, ParseOrderItems());
    }
    if (PeekKeyword("ROWS") || PeekKeyword("RANGE")) {
      window->frame_unit = Current().upper;
      Consume();
      if (AcceptKeyword("BETWEEN")) {
        ASSIGN_OR_RETURN(WindowFrameBound start, ParseFrameBound());
        RETURN_IF_ERROR(ExpectKeyword("AND"));
        ASSIGN_OR_RETURN(WindowFrameBound end, ParseFrameBound());
        window->frame_start = std::move(start);
        window->frame_end = std::move(end);
      } else {
        ASSIGN_OR_RETURN(WindowFrameBound start, ParseFrameBound());
        window->frame_start = std::move(start);
      }
    } else {
      NoteKeyword("ROWS");
      NoteKeyword("RANGE");
    }
    return window;
  }

  Result<WindowFrameBound> ParseFrameBound() {
    WindowFrameBound bound;
    if (AcceptKeyword("UNBOUNDED")) {
      if (AcceptKeyword("PRECEDING")) {
        bound.kind = "UNBOUNDED PRECEDING";
      } else {
        RETURN_IF_ERROR(ExpectKeyword("FOLLOWING"));
        bound.kind = "UNBOUNDED FOLLOWING";
      }
      return bound;
    }
    if (PeekKeyword("CURRENT") && PeekKeyword("ROW", 1)) {
      Consume();
      Consume();
      bound.kind = "CURRENT ROW";
      return bound;
    }
    NoteKeyword("CURRENT ROW");
    ASSIGN_OR_RETURN(bound.offset, ParseAdditive());
    if (AcceptKeyword("PRECEDING")) {
      bound.kind = "PRECEDING";
    } else {
      RETURN_IF_ERROR(ExpectKeyword("FOLLOWING"));
      bound.kind = "FOLLOWING";
    }
    return bound;
  }

  // CASE [operand] WHEN w THEN t ... [ELSE e] END
  Result<ExprPtr> ParseCase() {
    ExprPtr expr = MakeExpr(ExprKind::kCase, PosOf(Current()));
    Consume();  // CASE
    if (!PeekKeyword("WHEN")) {
      ASSIGN_OR_RETURN(ExprPtr operand, ParseExpr());
      expr->args.push_back(std::move(operand));
      expr->case_has_operand = true;
    }
    RETURN_IF_ERROR(ExpectKeyword("WHEN"));
    do {
      ASSIGN_OR_RETURN(ExprPtr when, ParseExpr());
      RETURN_IF_ERROR(ExpectKeyword("THEN"));
      ASSIGN_OR_RETURN(ExprPtr then, ParseExpr());
      expr->args.push_back(std::move(when));
      expr->args.push_back(std::move(then));
    } while (AcceptKeyword("WHEN"));
    if (AcceptKeyword("ELSE")) {
      ASSIGN_OR_RETURN(ExprPtr otherwise, ParseExpr());
      expr->args.push_back(std::move(otherwise));
      expr->case_has_else = true;
    }
    RETURN_IF_ERROR(ExpectKeyword("END"));
    return expr;
  }

  // CAST(expr AS type)
  Result<ExprPtr> ParseCast() {
    ExprPtr expr = MakeExpr(ExprKind::kCast, PosOf(Current()));
    Consume();
    Consume();  // (
    ASSIGN_OR_RETURN(ExprPtr arg, ParseExpr());
    expr->args.push_back(std::move(arg));
    RETURN_IF_ERROR(ExpectKeyword("AS"));
    ASSIGN_OR_RETURN(expr->type_name, ParseTypeName());
    RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }

  // EXTRACT(unit FROM expr)
  Result<ExprPtr> ParseExtract() {
    ExprPtr expr = MakeExpr(ExprKind::kExtract, PosOf(Current()));
    Consume();
    Consume();  // (
    if (Current().kind != TokenKind::kWord) {
      NoteClass("<time unit>");
      return Unexpected();
    }
    expr->name = Current().upper;
    Consume();
    RETURN_IF_ERROR(ExpectKeyword("FROM"));
    ASSIGN_OR_RETURN(ExprPtr arg, ParseExpr());
    expr->args.push_back(std::move(arg));
    RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }

  // FLOOR(expr TO unit) / CEIL(expr TO unit); otherwise an ordinary call FLOOR(x), CEIL(x).
  Result<ExprPtr> ParseFloorCeil() {
    const Token& name = Current();
    Consume();
    Consume();  // (
    ASSIGN_OR_RETURN(ExprPtr arg, ParseExpr());
    if (!AcceptKeyword("TO")) return ContinueOrdinaryCall(name, std::move(arg));
    ExprPtr expr = MakeExpr(ExprKind::kFloorCeilTo, PosOf(name));
    expr->name = name.upper == "FLOOR" ? "FLOOR" : "CEIL";
    if (Current().kind != TokenKind::kWord) {
      NoteClass("<time unit>");
      return Unexpected();
    }
    expr->unit = Current().upper;
    Consume();
    expr->args.push_back(std::move(arg));
    RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }

  // POSITION(needle IN haystack [FROM start]) → POSITION(needle, haystack[, start]).
  Result<ExprPtr> ParsePosition() {
    const Token& name = Current();
    Consume();
    Consume();  // (
    ASSIGN_OR_RETURN(ExprPtr needle, ParseConcat());
    if (!AcceptKeyword("IN")) {
      if (PeekOp(",") || PeekOp(")")) return ContinueOrdinaryCall(name, std::move(needle));
      return Unexpected();
    }
    ExprPtr expr = MakeExpr(ExprKind::kFunction, PosOf(name));
    expr->name = "POSITION";
    AddArg(expr.get(), std::move(needle));
    ASSIGN_OR_RETURN(ExprPtr haystack, ParseExpr());
    AddArg(expr.get(), std::move(haystack));
    if (AcceptKeyword("FROM")) {
      ASSIGN_OR_RETURN(ExprPtr start, ParseExpr());
      AddArg(expr.get(), std::move(start));
    }
    RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }

  // TRIM([[BOTH|LEADING|TRAILING] [chars] FROM] x) → TRIM('<mode>', x[, chars]); the mode is
  // always given, BOTH by default.
  Result<ExprPtr> ParseTrim() {
    ExprPtr expr = MakeExpr(ExprKind::kFunction, PosOf(Current()));
    expr->name = "TRIM";
    Consume();
    Consume();  // (
    SourcePos mode_pos = PosOf(Current());
    std::string mode = "BOTH";
    ExprPtr chars;
    ExprPtr value;
    if ((PeekKeyword("BOTH") || PeekKeyword("LEADING") || PeekKeyword("TRAILING")) && !PeekOp(")", 1) &&
        !PeekOp(",", 1)) {
      mode = Current().upper;
      Consume();
      if (!AcceptKeyword("FROM")) {
        ASSIGN_OR_RETURN(chars, ParseExpr());
        RETURN_IF_ERROR(ExpectKeyword("FROM"));
      }
      ASSIGN_OR_RETURN(value, ParseExpr());
    } else {
      ASSIGN_OR_RETURN(ExprPtr first, ParseExpr());
      if (AcceptKeyword("FROM")) {
        chars = std::move(first);
        ASSIGN_OR_RETURN(value, ParseExpr());
      } else {
        value = std::move(first);
      }
    }
    RETURN_IF_ERROR(ExpectOp(")"));
    AddArg(expr.get(), MakeLiteral(LiteralKind::kString, mode, mode_pos));
    AddArg(expr.get(), std::move(value));
    if (chars != nullptr) AddArg(expr.get(), std::move(chars));
    return expr;
  }

  // SUBSTRING(x FROM start [FOR length]) → SUBSTRING(x, start[, length]); SUBSTRING(x, a, b) as is.
  Result<ExprPtr> ParseSubstring() {
    const Token& name = Current();
    Consume();
    Consume();  // (
    ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
    if (!AcceptKeyword("FROM")) return ContinueOrdinaryCall(name, std::move(value));
    ExprPtr expr = MakeExpr(ExprKind::kFunction, PosOf(name));
    expr->name = "SUBSTRING";
    AddArg(expr.get(), std::move(value));
    ASSIGN_OR_RETURN(ExprPtr start, ParseExpr());
    AddArg(expr.get(), std::move(start));
    if (AcceptKeyword("FOR")) {
      ASSIGN_OR_RETURN(ExprPtr length, ParseExpr());
      AddArg(expr.get(), std::move(length));
    }
    RETURN_IF_ERROR(ExpectOp(")"));
    return expr;
  }

  // ARRAY[e, ...]
  Result<ExprPtr> ParseArray() {
    ExprPtr expr = MakeExpr(ExprKind::kArray, PosOf(Current()));
    Consume();
    Consume();  // [
    if (!AcceptOp("]")) {
      do {
        ASSIGN_OR_RETURN(ExprPtr element, ParseExpr());
        expr->args.push_back(std::move(element));
      } while (AcceptOp(","));
      RETURN_IF_ERROR(ExpectOp("]"));
    }
    return expr;
  }

  // INTERVAL [+|-] '<text>' unit [(precision)] [TO unit [(precision)]]; a bare number is accepted
  // in place of the quoted text.
  Result<ExprPtr> ParseInterval() {
    ExprPtr expr = MakeExpr(ExprKind::kInterval, PosOf(Current()));
    Consume();  // INTERVAL
    std::string sign;
    if (PeekOp("-") || PeekOp("+")) {
      if (PeekOp("-")) sign = "-";
      Consume();
    }
    const Token& value = Current();
    if (value.kind != TokenKind::kString && value.kind != TokenKind::kInteger &&
        value.kind != TokenKind::kDecimal) {
      NoteClass("<QUOTED_STRING>");
      return Unexpected();
    }
    expr->text = sign + value.value;
    Consume();
    RETURN_IF_ERROR(ParseIntervalUnit(&expr->unit));
    if (AcceptKeyword("TO")) RETURN_IF_ERROR(ParseIntervalUnit(&expr->unit_to));
    return expr;
  }

  Status ParseIntervalUnit(std::string* unit) {
    if (Current().kind != TokenKind::kWord || !NormalizeIntervalUnit(Current().upper, unit)) {
      for (std::string_view name : {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND"}) {
        NoteKeyword(name);
      }
      return Unexpected();
    }
    Consume();
    // A precision such as SECOND(3) does not change the value; it is read and dropped.
    if (PeekOp("(") && Peek(1).kind == TokenKind::kInteger) {
      Consume();
      Consume();
      if (AcceptOp(",")) {
        if (Current().kind != TokenKind::kInteger) {
          NoteClass("<UNSIGNED_INTEGER_LITERAL>");
          return Unexpected();
        }
        Consume();
      }
      RETURN_IF_ERROR(ExpectOp(")"));
    }
    return Status::OK();
  }

  static constexpr size_t kNoPosition = static_cast<size_t>(-1);
  static constexpr std::array<std::string_view, 7> kComparisonOps = {"=", "<>", "!=", "<", "<=", ">", ">="};

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int next_param_ = 0;
  int depth_ = 0;
  std::vector<ExpectedItem> expected_;
  size_t expected_pos_ = kNoPosition;
  // Token index of a "(" in FROM -> whether it opens a parenthesised query.
  std::unordered_map<size_t, bool> paren_query_memo_;
};

}  // namespace

Result<Statement> ParseStatement(std::string_view sql) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  Parser parser(sql, std::move(tokens));
  return parser.ParseStatementText();
}

Result<ExprPtr> ParseExpression(std::string_view sql) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  Parser parser(sql, std::move(tokens));
  return parser.ParseExpressionText();
}

}  // namespace strata::sql
