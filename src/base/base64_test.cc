#include "base/base64.h"

#include <gtest/gtest.h>

namespace strata::base {
namespace {

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("user:pass"), "dXNlcjpwYXNz");
}

TEST(Base64Test, RoundTripsBinary) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  auto decoded = Base64Decode(Base64Encode(bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
}

TEST(Base64Test, DecodeRejectsForeignCharactersAndDataAfterPadding) {
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy").value(), "foobar");
  EXPECT_EQ(Base64Decode("Zg").value(), "f");
  EXPECT_FALSE(Base64Decode("Zm9v*").has_value());
  EXPECT_FALSE(Base64Decode("Zg==Zg==").has_value());
}

}  // namespace
}  // namespace strata::base
