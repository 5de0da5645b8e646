// GroupKeyTable: the key side of hash aggregation. Maps the key tuple of every row to a dense
// group id, column by column:
//  - each key column gets dense value ids from an encoder (an open-addressing table per type; a
//    dictionary-encoded string column costs one array lookup per row through its dictionary's ids,
//    and a run of equal values — time buckets of time-sorted rows — one comparison; an ARRAY key
//    is interned by a serialized form of the whole array, element NULLs included);
//  - with one key the value id is the group id; with several, tuples of value ids map to groups.
// NULL is a value like any other (Druid groups NULL keys together). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "columnar/column.h"
#include "types/data_type.h"

namespace strata::engine {

class KeyEncoder;

class GroupKeyTable {
 public:
  explicit GroupKeyTable(std::vector<types::ColumnType> key_types);
  ~GroupKeyTable();
  GroupKeyTable(const GroupKeyTable&) = delete;
  GroupKeyTable& operator=(const GroupKeyTable&) = delete;

  /// Partial aggregation of string keys: dictionary-encoded key columns are grouped by their
  /// dictionary ids (no hashing: a dense table over the ids, or over the combinations of ids
  /// when there are several keys and at most kMaxDenseCombinations of them). Groups of different
  /// dictionaries are not merged, so the caller must emit and start over when NeedsFlush says so.
  void set_group_by_dictionary(bool on);
  static constexpr size_t kMaxDenseCombinations = size_t{1} << 20;
  /// True when `keys` cannot join the groups held (another dictionary): emit them first.
  bool NeedsFlush(const std::vector<const columnar::Column*>& keys) const;

  /// Group ids of rows [0, n) of the (single-valued) key columns `keys`, one per key type.
  void Assign(const std::vector<const columnar::Column*>& keys, int64_t n, uint32_t* groups);
  /// Like Assign, but without adding groups: rows whose key has no group get kNoGroup (probing
  /// a hash join's build side). Not with set_group_by_dictionary.
  void Lookup(const std::vector<const columnar::Column*>& keys, int64_t n, uint32_t* groups);
  static constexpr uint32_t kNoGroup = UINT32_MAX;

  /// With no key columns: the one group (created on first use).
  uint32_t GlobalGroup();

  size_t num_groups() const;
  /// The key columns of groups [begin, end), one column per key type.
  std::vector<columnar::ColumnPtr> EmitKeys(size_t begin, size_t end) const;
  /// Grouping by a dictionary: the groups in dictionary id order (the order of the dictionary's
  /// bytes in memory); empty otherwise.
  std::vector<uint32_t> DictionaryOrder() const;
  int64_t memory_bytes() const;

 private:
  uint32_t TupleGroup(const uint32_t* ids);
  uint32_t PairGroup(uint64_t pair);
  uint32_t PairLookup(uint64_t pair) const;
  uint32_t TupleLookup(const uint32_t* ids) const;
  void GrowTuples();

  bool UsesDictionary(const columnar::Column& c) const;
  bool UsesDictionaries(const std::vector<const columnar::Column*>& keys) const;
  bool SameDictionaries(const std::vector<const columnar::Column*>& keys) const;

  std::vector<types::ColumnType> key_types_;
  std::vector<std::unique_ptr<KeyEncoder>> encoders_;
  bool global_ = false;
  // group_by_dictionary_: groups of the dictionaries `dictionaries_` (one per key) while
  // by_dictionary_ is set: dictionary_groups_ maps the combination sum(id[j] * strides_[j]) to
  // its group, group_dictionary_ids_ holds each group's ids (group g at [g * k, (g + 1) * k)).
  bool group_by_dictionary_ = false;
  bool by_dictionary_ = false;
  std::vector<std::shared_ptr<const columnar::Dictionary>> dictionaries_;
  std::vector<size_t> strides_;
  std::vector<uint32_t> dictionary_groups_;
  std::vector<int32_t> group_dictionary_ids_;
  // Several keys: value-id tuples of the groups (group g at [g * k, (g + 1) * k)) and an
  // open-addressing index of them (slot = group + 1, 0 empty).
  std::vector<uint32_t> tuples_;
  std::vector<uint64_t> tuple_hashes_;
  std::vector<uint32_t> slots_;
  size_t num_tuples_ = 0;
  std::vector<std::vector<uint32_t>> scratch_ids_;
  // Two keys: (value id pair -> group) slots; the tuples are kept in tuples_ as for more keys.
  struct PairSlot {
    uint64_t pair;
    uint32_t group_plus_1;  // 0: empty
  };
  std::vector<PairSlot> pair_slots_;
  uint64_t last_pair_ = 0;
  uint32_t last_pair_group_ = UINT32_MAX;
};

}  // namespace strata::engine
