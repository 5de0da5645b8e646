#include "sql/lexer.h"

#include <cstdint>
#include <utility>

namespace strata::sql {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNonAscii(char c) { return (static_cast<unsigned char>(c) & 0x80) != 0; }
bool IsWordStart(char c) { return IsAsciiLetter(c) || c == '_' || IsNonAscii(c); }
bool IsWordPart(char c) { return IsWordStart(c) || IsDigit(c) || c == '$'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::string ToUpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Describes one character the way JavaCC does in its lexical errors: "#" (35).
std::string DescribeChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  std::string shown;
  if (u < 0x20 || u == 0x7F) {
    static const char kHex[] = "0123456789abcdef";
    shown = "\\u00";
    shown.push_back(kHex[u >> 4]);
    shown.push_back(kHex[u & 0xF]);
  } else {
    shown.push_back(c);
  }
  return "\"" + shown + "\" (" + std::to_string(u) + ")";
}

// Shortens text quoted in an error message so a runaway literal does not flood it.
std::string Abbreviate(std::string_view text) {
  constexpr size_t kMaxChars = 40;
  if (text.size() <= kMaxChars) return std::string(text);
  size_t cut = kMaxChars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return std::string(text.substr(0, cut)) + "...";
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    // A UTF-8 byte order mark is not part of the statement.
    if (sql_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (true) {
      RETURN_IF_ERROR(SkipSpaceAndComments());
      Token token;
      token.line = line_;
      token.column = column_;
      token.offset = pos_;
      if (AtEnd()) {
        token.kind = TokenKind::kEof;
        tokens.push_back(std::move(token));
        return tokens;
      }
      RETURN_IF_ERROR(LexToken(&token));
      token.length = pos_ - token.offset;
      tokens.push_back(std::move(token));
    }
  }

 private:
  struct Mark {
    size_t pos;
    int line;
    int column;
  };

  bool AtEnd() const { return pos_ >= sql_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0'; }
  Mark Save() const { return Mark{pos_, line_, column_}; }
  void Restore(const Mark& mark) {
    pos_ = mark.pos;
    line_ = mark.line;
    column_ = mark.column;
  }

  // Moves past one byte, keeping line and column (in characters) up to date. "\r\n", "\n" and a
  // lone "\r" each end a line.
  void Advance() {
    char c = sql_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if (c == '\r') {
      if (Peek() != '\n') {
        ++line_;
        column_ = 1;
      }
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }

  Status Error(int line, int column, const std::string& encountered) const {
    return SqlSyntaxError("Lexical error at line " + std::to_string(line) + ", column " +
                              std::to_string(column) + ".  Encountered: " + encountered,
                          line, column);
  }

  // Skips whitespace and comments. Fails only on an unterminated /* comment.
  Status SkipSpaceAndComments() {
    while (!AtEnd()) {
      char c = Peek();
      if (IsSpace(c)) {
        Advance();
      } else if (c == '-' && Peek(1) == '-') {
        while (!AtEnd() && Peek() != '\n' && Peek() != '\r') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        int line = line_;
        int column = column_;
        Advance();
        Advance();
        while (!(Peek() == '*' && Peek(1) == '/')) {
          if (AtEnd()) return Error(line, column, "<EOF> in a comment that was never closed with */");
          Advance();
        }
        Advance();
        Advance();
      } else {
        break;
      }
    }
    return Status::OK();
  }

  // Reads the body of a literal quoted with `quote`, the lexer being at the opening quote; a doubled
  // quote stands for one. Returns false (position unspecified) if the input ends first.
  bool ReadQuotedBody(char quote, std::string* out) {
    Advance();
    while (!AtEnd()) {
      char c = Peek();
      if (c == quote) {
        if (Peek(1) == quote) {
          out->push_back(quote);
          Advance();
          Advance();
          continue;
        }
        Advance();
        return true;
      }
      out->push_back(c);
      Advance();
    }
    return false;
  }

  // Reads a string literal and the literals adjacent to it ('a' 'b' is 'ab'), the lexer being at
  // the first opening quote.
  Status ReadStringParts(const Token& token, std::string* out) {
    while (true) {
      Mark part_start = Save();
      if (!ReadQuotedBody('\'', out)) {
        return Error(part_start.line, part_start.column,
                     "<EOF> after : \"" + Abbreviate(sql_.substr(token.offset, pos_ - token.offset)) +
                         "\" (a string literal that was never closed with ')");
      }
      Mark after = Save();
      Status skipped = SkipSpaceAndComments();
      if (skipped.ok() && Peek() == '\'') continue;
      Restore(after);
      return Status::OK();
    }
  }

  // Decodes the body of a U&'...' literal whose escape character is `escape`.
  Status DecodeUnicode(const Token& token, std::string_view body, char escape, std::string* out) {
    for (size_t i = 0; i < body.size();) {
      char c = body[i];
      if (c != escape) {
        out->push_back(c);
        ++i;
        continue;
      }
      if (i + 1 < body.size() && body[i + 1] == escape) {
        out->push_back(escape);
        i += 2;
        continue;
      }
      size_t num_digits = 4;
      size_t first = i + 1;
      if (i + 1 < body.size() && body[i + 1] == '+') {
        num_digits = 6;
        first = i + 2;
      }
      uint32_t code_point = 0;
      bool valid = first + num_digits <= body.size();
      for (size_t k = 0; valid && k < num_digits; ++k) {
        int digit = HexValue(body[first + k]);
        if (digit < 0) valid = false;
        code_point = code_point * 16 + static_cast<uint32_t>(digit < 0 ? 0 : digit);
      }
      if (!valid || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
        return Error(token.line, token.column,
                     "unicode escape sequence starting at character " + std::to_string(i + 1) +
                         " of " + Abbreviate(sql_.substr(token.offset, pos_ - token.offset)) +
                         " is not an escape character followed by exactly four hex digits, or by "
                         "'+' and exactly six hex digits, naming a valid code point");
      }
      AppendUtf8(code_point, out);
      i = first + num_digits;
    }
    return Status::OK();
  }

  // Reads U&'...' [UESCAPE 'c'], the lexer being at the U.
  Status ReadUnicodeString(Token* token) {
    Advance();  // U
    Advance();  // &
    std::string body;
    RETURN_IF_ERROR(ReadStringParts(*token, &body));
    char escape = '\\';
    Mark after = Save();
    Status skipped = SkipSpaceAndComments();
    if (skipped.ok() && IsWordStart(Peek())) {
      std::string word;
      while (IsWordPart(Peek())) {
        word.push_back(Peek());
        Advance();
      }
      if (ToUpperAscii(word) == "UESCAPE") {
        RETURN_IF_ERROR(SkipSpaceAndComments());
        Mark quote_start = Save();
        std::string escape_text;
        if (Peek() != '\'' || !ReadQuotedBody('\'', &escape_text)) {
          return Error(quote_start.line, quote_start.column,
                       AtEnd() ? "<EOF> after UESCAPE (expected a quoted escape character)"
                               : DescribeChar(Peek()) + " after UESCAPE (expected a quoted escape character)");
        }
        if (escape_text.size() != 1 || HexValue(escape_text[0]) >= 0 || escape_text[0] == '+' ||
            escape_text[0] == '\'' || escape_text[0] == '"' || IsSpace(escape_text[0])) {
          return Error(quote_start.line, quote_start.column,
                       "UESCAPE '" + escape_text +
                           "' (the escape character must be one character other than a hex digit, "
                           "'+', a quote or whitespace)");
        }
        escape = escape_text[0];
      } else {
        Restore(after);
      }
    } else {
      Restore(after);
    }
    token->kind = TokenKind::kString;
    return DecodeUnicode(*token, body, escape, &token->value);
  }

  Status ReadNumber(Token* token) {
    std::string text;
    bool is_decimal = false;
    while (IsDigit(Peek())) {
      text.push_back(Peek());
      Advance();
    }
    if (Peek() == '.') {
      is_decimal = true;
      text.push_back('.');
      Advance();
      while (IsDigit(Peek())) {
        text.push_back(Peek());
        Advance();
      }
    }
    bool is_approx = false;
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      is_approx = true;
      text.push_back(Peek());
      Advance();
      if (Peek() == '+' || Peek() == '-') {
        text.push_back(Peek());
        Advance();
      }
      while (IsDigit(Peek())) {
        text.push_back(Peek());
        Advance();
      }
    }
    token->kind = is_approx ? TokenKind::kApprox : (is_decimal ? TokenKind::kDecimal : TokenKind::kInteger);
    token->value = std::move(text);
    return Status::OK();
  }

  Status LexToken(Token* token) {
    char c = Peek();
    if ((c == 'U' || c == 'u') && Peek(1) == '&' && Peek(2) == '\'') return ReadUnicodeString(token);
    if ((c == 'N' || c == 'n') && Peek(1) == '\'') {
      Advance();
      token->kind = TokenKind::kString;
      return ReadStringParts(*token, &token->value);
    }
    if (IsWordStart(c)) {
      while (IsWordPart(Peek())) {
        token->value.push_back(Peek());
        Advance();
      }
      token->kind = TokenKind::kWord;
      token->upper = ToUpperAscii(token->value);
      return Status::OK();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return ReadNumber(token);
    if (c == '\'') {
      token->kind = TokenKind::kString;
      return ReadStringParts(*token, &token->value);
    }
    if (c == '"') {
      if (!ReadQuotedBody('"', &token->value)) {
        return Error(token->line, token->column,
                     "<EOF> after : \"" + Abbreviate(sql_.substr(token->offset)) +
                         "\" (a quoted identifier that was never closed with \")");
      }
      if (token->value.empty()) {
        return Error(token->line, token->column, "\"\"\"\" (an empty quoted identifier)");
      }
      token->kind = TokenKind::kQuotedIdentifier;
      return Status::OK();
    }
    static constexpr std::string_view kTwoCharOperators[] = {"<>", "<=", ">=", "!=", "||", "=>", "::"};
    for (std::string_view op : kTwoCharOperators) {
      if (c == op[0] && Peek(1) == op[1]) {
        Advance();
        Advance();
        token->kind = TokenKind::kOperator;
        token->value = std::string(op);
        return Status::OK();
      }
    }
    static constexpr std::string_view kOneCharOperators = "+-*/%=<>(),.;?[]{}:";
    if (kOneCharOperators.find(c) != std::string_view::npos) {
      Advance();
      token->kind = TokenKind::kOperator;
      token->value = std::string(1, c);
      return Status::OK();
    }
    return Error(token->line, token->column, DescribeChar(c) + ", after : \"\"");
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql) { return Lexer(sql).Run(); }

std::string TokenImage(std::string_view sql, const Token& token) {
  if (token.kind == TokenKind::kEof) return "<EOF>";
  return std::string(sql.substr(token.offset, token.length));
}

Status SqlSyntaxError(std::string message, int line, int column) {
  Status status = Status::InvalidInput(std::move(message));
  status.WithErrorCode("invalidInput")
      .WithContext("line", std::to_string(line))
      .WithContext("column", std::to_string(column))
      .WithContext("sourceType", "sql");
  return status;
}

}  // namespace strata::sql
