#include "base/status.h"

#include <gtest/gtest.h>

#include "base/ids.h"

namespace strata {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Status::InvalidInput("value [" + std::to_string(v) + "] must be positive");
  return v;
}

Result<int> Doubled(int v) {
  ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return 2 * x;
}

Status Check(int v) {
  RETURN_IF_ERROR(ParsePositive(v));
  return Status::OK();
}

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(sizeof(Status), sizeof(void*));
}

TEST(StatusTest, CarriesCodeMessageAndContext) {
  Status s = Status::InvalidInput("bad").WithErrorCode("invalidInput").WithContext("line", "3");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.error_code(), "invalidInput");
  ASSERT_EQ(s.context().size(), 1u);
  EXPECT_EQ(s.context()[0].second, "3");
  Status copy = s;
  EXPECT_EQ(copy.ToString(), "InvalidInput: bad");
  EXPECT_EQ(s.Annotate("while parsing").message(), "while parsing: bad");
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_EQ(*Doubled(4), 8);
  Result<int> r = Doubled(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "value [-1] must be positive");
  EXPECT_TRUE(Check(1).ok());
  EXPECT_EQ(Check(0).code(), StatusCode::kInvalidInput);
}

TEST(IdsTest, UuidShape) {
  std::string a = base::RandomUuid();
  std::string b = base::RandomUuid();
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[13], '-');
  EXPECT_EQ(a[14], '4');
  EXPECT_EQ(a[18], '-');
  EXPECT_EQ(a[23], '-');
  EXPECT_NE(a, b);
  EXPECT_EQ(base::RandomLetters(8).size(), 8u);
}

}  // namespace
}  // namespace strata
