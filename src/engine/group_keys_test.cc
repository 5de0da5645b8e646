#include "engine/group_keys.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>

namespace strata::engine {
namespace {

using columnar::Column;
using columnar::ColumnBuilder;
using columnar::ColumnPtr;
using types::ColumnType;
using types::Value;

// Random keys with NULLs and runs; each row's key rendered as text, for a reference grouping.
struct Keys {
  std::vector<ColumnPtr> columns;
  std::vector<std::string> text;
};

Keys RandomKeys(int n, const std::vector<ColumnType>& types, uint32_t seed, uint32_t spread = 20) {
  std::mt19937 gen(seed);
  std::vector<ColumnBuilder> builders;
  for (ColumnType t : types) builders.emplace_back(t);
  Keys k;
  for (int i = 0; i < n; ++i) {
    std::string row;
    for (size_t c = 0; c < types.size(); ++c) {
      // Few distinct values, so rows repeat keys (and the encoders' run caches are exercised).
      uint32_t r = gen() % spread;
      if (r == 0) {
        builders[c].AppendNull();
        row += "|null";
      } else if (types[c] == ColumnType::kLong) {
        builders[c].AppendLong(static_cast<int64_t>(r % 7) - 3);
        row += "|" + std::to_string(static_cast<int64_t>(r % 7) - 3);
      } else if (types[c] == ColumnType::kDouble) {
        double d = (r % 5) == 1 ? -0.0 : static_cast<double>(r % 5) / 2;
        builders[c].AppendDouble(d);
        row += "|" + std::to_string(d == 0 ? 0.0 : d);
      } else {
        std::string s = r % 6 == 1 ? "" : "v" + std::to_string(r % 6);
        builders[c].AppendString(s);
        row += "|'" + s + "'";
      }
    }
    k.text.push_back(row);
  }
  for (auto& b : builders) k.columns.push_back(b.Finish());
  return k;
}

void CheckAgainstReference(const std::vector<ColumnType>& types) {
  GroupKeyTable table(types);
  std::map<std::string, uint32_t> reference;  // key text -> group
  for (uint32_t batch = 0; batch < 4; ++batch) {
    Keys k = RandomKeys(500, types, 7 + batch);
    std::vector<const Column*> cols;
    for (const auto& c : k.columns) cols.push_back(c.get());
    std::vector<uint32_t> groups(500);
    table.Assign(cols, 500, groups.data());
    for (size_t i = 0; i < groups.size(); ++i) {
      auto [it, inserted] = reference.emplace(k.text[i], groups[i]);
      EXPECT_EQ(it->second, groups[i]) << "row " << i << " key " << k.text[i];
    }
  }
  ASSERT_EQ(table.num_groups(), reference.size());
  // The emitted keys of each group render as the key text it was assigned for.
  std::vector<ColumnPtr> keys = table.EmitKeys(0, table.num_groups());
  ASSERT_EQ(keys.size(), types.size());
  for (const auto& [text, g] : reference) {
    std::string row;
    for (size_t c = 0; c < types.size(); ++c) {
      Value v = columnar::GetValue(*keys[c], g);
      if (v.is_null()) row += "|null";
      else if (types[c] == ColumnType::kString) row += "|'" + v.string_value() + "'";
      else if (types[c] == ColumnType::kLong) row += "|" + std::to_string(v.long_value());
      else row += "|" + std::to_string(v.AsDouble());
    }
    EXPECT_EQ(row, text) << "group " << g;
  }
}

TEST(GroupKeyTableTest, OneTwoAndThreeKeysGroupLikeAReference) {
  CheckAgainstReference({ColumnType::kString});
  CheckAgainstReference({ColumnType::kLong});
  CheckAgainstReference({ColumnType::kDouble});
  CheckAgainstReference({ColumnType::kString, ColumnType::kLong});
  CheckAgainstReference({ColumnType::kLong, ColumnType::kString, ColumnType::kDouble});
}

TEST(GroupKeyTableTest, LookupFindsExistingGroupsOnly) {
  for (const auto& types : {std::vector<ColumnType>{ColumnType::kString}, std::vector<ColumnType>{ColumnType::kLong},
                            std::vector<ColumnType>{ColumnType::kString, ColumnType::kLong},
                            std::vector<ColumnType>{ColumnType::kLong, ColumnType::kString, ColumnType::kDouble}}) {
    GroupKeyTable table(types);
    Keys build = RandomKeys(300, types, 1);
    std::vector<const Column*> cols;
    for (const auto& c : build.columns) cols.push_back(c.get());
    std::vector<uint32_t> groups(300);
    table.Assign(cols, 300, groups.data());
    std::map<std::string, uint32_t> known;
    for (size_t i = 0; i < groups.size(); ++i) known[build.text[i]] = groups[i];
    size_t before = table.num_groups();
    Keys probe = RandomKeys(400, types, 2);
    std::vector<const Column*> probe_cols;
    for (const auto& c : probe.columns) probe_cols.push_back(c.get());
    std::vector<uint32_t> found(400);
    table.Lookup(probe_cols, 400, found.data());
    for (size_t i = 0; i < found.size(); ++i) {
      auto it = known.find(probe.text[i]);
      EXPECT_EQ(found[i], it == known.end() ? GroupKeyTable::kNoGroup : it->second) << probe.text[i];
    }
    EXPECT_EQ(table.num_groups(), before);  // nothing added
  }
}

TEST(GroupKeyTableTest, DictionaryEncodedColumnsGroupByValue) {
  // The same values through two dictionaries (and plain strings) land in the same groups.
  auto d1 = std::make_shared<columnar::Dictionary>();
  d1->values = {columnar::kNullString, "a", "b"};
  auto d2 = std::make_shared<columnar::Dictionary>();
  d2->values = {"b", "c"};
  auto encoded = [](std::shared_ptr<columnar::Dictionary> d, std::vector<int32_t> ids) {
    auto c = std::make_shared<Column>();
    c->type = ColumnType::kString;
    c->num_rows = static_cast<int64_t>(ids.size());
    c->dictionary = d;
    for (int32_t id : ids) c->strings.push_back(d->values[id]);
    c->ids = std::move(ids);
    return c;
  };
  GroupKeyTable table({ColumnType::kString});
  std::vector<uint32_t> g1(4), g2(3), g3(2);
  auto c1 = encoded(d1, {1, 2, 0, 1});
  auto c2 = encoded(d2, {1, 0, 0});
  ColumnBuilder plain(ColumnType::kString);
  plain.AppendString("c");
  plain.AppendNull();
  auto c3 = plain.Finish();
  table.Assign({c1.get()}, 4, g1.data());
  table.Assign({c2.get()}, 3, g2.data());
  table.Assign({c3.get()}, 2, g3.data());
  EXPECT_EQ(table.num_groups(), 4u);  // a, b, NULL, c
  EXPECT_EQ(g1[0], g1[3]);            // a
  EXPECT_EQ(g2[1], g1[1]);            // b in both dictionaries
  EXPECT_EQ(g3[0], g2[0]);            // c, dictionary and plain
  EXPECT_EQ(g3[1], g1[2]);            // NULL
}

// ARRAY keys: equal arrays share a group; a NULL array, an empty array and an array holding NULL
// are three different keys; Emit gives the arrays back.
TEST(GroupKeyTableTest, ArrayKeys) {
  auto column = [](ColumnType type, const std::vector<Value>& rows) {
    ColumnBuilder b(type);
    for (const Value& v : rows) b.AppendValue(v);
    return b.Finish();
  };
  Value null = Value::Null();
  std::vector<Value> rows = {Value::Array({Value::Long(1), null}), null, Value::Array({}), Value::Array({Value::Long(1), null}),
                             Value::Array({null}), Value::Array({})};
  GroupKeyTable table({ColumnType::kLongArray});
  std::vector<uint32_t> groups(rows.size());
  ColumnPtr keys = column(ColumnType::kLongArray, rows);
  table.Assign({keys.get()}, static_cast<int64_t>(rows.size()), groups.data());
  EXPECT_EQ(table.num_groups(), 4u);
  EXPECT_EQ(groups[0], groups[3]);
  EXPECT_EQ(groups[2], groups[5]);
  EXPECT_NE(groups[1], groups[2]);
  EXPECT_NE(groups[2], groups[4]);
  ColumnPtr emitted = table.EmitKeys(0, table.num_groups())[0];
  ASSERT_EQ(emitted->type, ColumnType::kLongArray);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(columnar::GetValue(*emitted, groups[i]), rows[i]) << i;
  // Lookup finds known arrays only.
  ColumnPtr probe = column(ColumnType::kLongArray, {Value::Array({}), Value::Array({Value::Long(2)})});
  std::vector<uint32_t> found(2);
  table.Lookup({probe.get()}, 2, found.data());
  EXPECT_EQ(found[0], groups[2]);
  EXPECT_EQ(found[1], GroupKeyTable::kNoGroup);

  // Strings (with a NULL element) and doubles (-0.0 is 0.0), next to another key.
  std::vector<Value> strings = {Value::Array({Value::String("a"), null}), Value::Array({Value::String("a")}),
                                Value::Array({Value::String("a"), null}), Value::Array({Value::String("")})};
  std::vector<Value> doubles = {Value::Array({Value::Double(-0.0)}), Value::Array({Value::Double(0.0)}),
                                Value::Array({Value::Double(0.0)}), Value::Array({Value::Double(0.0)})};
  GroupKeyTable two({ColumnType::kStringArray, ColumnType::kDoubleArray});
  ColumnPtr s = column(ColumnType::kStringArray, strings), d = column(ColumnType::kDoubleArray, doubles);
  std::vector<uint32_t> g(4);
  two.Assign({s.get(), d.get()}, 4, g.data());
  EXPECT_EQ(two.num_groups(), 3u);
  EXPECT_EQ(g[0], g[2]);
  std::vector<ColumnPtr> out = two.EmitKeys(0, two.num_groups());
  EXPECT_EQ(columnar::GetValue(*out[0], g[0]), strings[0]);
  EXPECT_EQ(columnar::GetValue(*out[0], g[3]), strings[3]);
  EXPECT_EQ(columnar::GetValue(*out[1], g[1]), Value::Array({Value::Double(0.0)}));
}

}  // namespace
}  // namespace strata::engine
