// SQL lexer: splits Druid SQL text into tokens for the parser (parser.h).
//
// Words are not classified into keywords here: the parser decides, by context, whether a word is a
// keyword or an identifier (Druid columns are often named `user`, `time`, `value`, ...). Each token
// records where it starts (1-based line and column, counted in characters; a tab counts as one
// column, as in Calcite) so that every syntax error can point at the offending text.
//
// Lexical rules:
//   - words: a letter, `_` or any non-ASCII character, then letters, digits, `_`, `$` or non-ASCII
//     characters; the original spelling is kept (identifiers are case-sensitive in Druid) and an
//     upper-cased copy is kept for keyword matching;
//   - "quoted identifiers" with `""` as an escaped quote;
//   - string literals 'it''s', N'...', U&'\00F6' (with optional UESCAPE 'c'); adjacent string
//     literals separated only by whitespace or comments are joined into one token ('a' 'b' = 'ab');
//   - numbers: integers (42), decimals (1.5, .5, 5.) and approximate numbers (1e3, 1.5E-2);
//   - operators: + - * / % || = <> != < <= > >= ( ) , . ; ? [ ] { } => :: :
//   - comments: `-- to end of line` and `/* ... */`; whitespace includes \r\n.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata::sql {

enum class TokenKind {
  kWord,              // unquoted identifier or keyword
  kQuotedIdentifier,  // "double quoted" identifier
  kString,            // string literal (any of the forms above)
  kInteger,           // 42
  kDecimal,           // 1.5, .5, 5.
  kApprox,            // 1e3, 1.5E-2
  kOperator,          // punctuation and operators, including `?`
  kEof,               // end of input (always the last token)
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  /// kWord: as written; kQuotedIdentifier: the unescaped name; kString: the decoded value;
  /// numbers: the text as written; kOperator: the operator text; kEof: empty.
  std::string value;
  /// kWord: `value` upper-cased (ASCII letters only), for keyword matching; otherwise empty.
  std::string upper;
  /// Where the token starts: 1-based line and column, and byte offset into the SQL text.
  int line = 1;
  int column = 1;
  size_t offset = 0;
  /// Length in bytes of the token's source text (0 for kEof).
  size_t length = 0;
};

/// Splits `sql` into tokens; the last token is always kEof (positioned just after the text).
/// On a lexical error (unterminated string, identifier or comment, an unexpected character, a bad
/// unicode escape) returns InvalidInput with error code "invalidInput", context "line"/"column"
/// and a message "Lexical error at line L, column C.  Encountered: ...".
Result<std::vector<Token>> Tokenize(std::string_view sql);

/// The source text of `token` for error messages: the text as written, or "<EOF>".
std::string TokenImage(std::string_view sql, const Token& token);

/// The InvalidInput status used for every SQL syntax error: error code "invalidInput", context
/// entries "line", "column" (1-based) and "sourceType" = "sql".
Status SqlSyntaxError(std::string message, int line, int column);

}  // namespace strata::sql
