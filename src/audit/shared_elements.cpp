// Elements shared between the two sides of a split, by name and by identical sequence.
#include <algorithm>
#include <set>
#include <unordered_set>

#include "audit/audit_parts.h"
#include "prism/hash.h"

namespace prism {

std::string ElementIdentity(const std::string& name) { return name.substr(0, name.find('|')); }

namespace audit {
namespace {

struct RoleResult {
  long distinct = 0, by_name = 0, by_sequence = -1;
  std::set<std::string> shared;  ///< test element names shared by name or sequence
};

RoleResult CompareRole(const AuditSide& train, const AuditSide& test, bool enhancer) {
  auto name_of = [enhancer](const Pair* p) -> const std::string& {
    return enhancer ? p->enhancer : p->promoter;
  };
  auto seqs_of = [enhancer](const AuditSide& s) -> const std::unordered_map<std::string, std::string>* {
    if (!s.seqs) return nullptr;
    return enhancer ? &s.seqs->enhancers : &s.seqs->promoters;
  };
  std::unordered_set<std::string> train_ids;
  for (const Pair* p : train.pairs) train_ids.insert(ElementIdentity(name_of(p)));
  const auto* train_seqs = seqs_of(train);
  const auto* test_seqs = seqs_of(test);
  const bool by_seq = train_seqs && test_seqs;
  std::unordered_set<uint64_t> train_hashes;
  if (by_seq) {
    // Every sequence of the train side, referenced by a pair or not.
    for (const auto& [name, seq] : *train_seqs)
      if (!seq.empty()) train_hashes.insert(HashBytes(seq));
  }
  RoleResult r;
  if (by_seq) r.by_sequence = 0;
  std::set<std::string> seen;
  for (const Pair* p : test.pairs) {
    const std::string& name = name_of(p);
    if (!seen.insert(name).second) continue;
    ++r.distinct;
    bool shared = false;
    if (train_ids.count(ElementIdentity(name))) {
      ++r.by_name;
      shared = true;
    }
    if (by_seq) {
      auto it = test_seqs->find(name);
      if (it != test_seqs->end() && !it->second.empty() &&
          train_hashes.count(HashBytes(it->second))) {
        ++r.by_sequence;
        shared = true;
      }
    }
    if (shared) r.shared.insert(name);
  }
  return r;
}

}  // namespace

SharedElements CompareSides(const AuditSide& train, const AuditSide& test, bool strict,
                            const AuditOptions& options) {
  SharedElements s;
  s.train_side = train.name;
  s.test_side = test.name;
  s.strict = strict;
  const RoleResult e = CompareRole(train, test, true);
  const RoleResult p = CompareRole(train, test, false);
  s.test_enhancers = e.distinct;
  s.test_promoters = p.distinct;
  s.enhancers_by_name = e.by_name;
  s.promoters_by_name = p.by_name;
  s.enhancers_by_sequence = e.by_sequence;
  s.promoters_by_sequence = p.by_sequence;
  s.test_pairs = static_cast<long>(test.pairs.size());
  for (const Pair* pair : test.pairs)
    s.test_pairs_shared += e.shared.count(pair->enhancer) || p.shared.count(pair->promoter);
  for (const auto* set : {&e.shared, &p.shared})
    for (const std::string& name : *set)
      if (static_cast<int>(s.examples.size()) < options.max_examples) s.examples.push_back(name);
  return s;
}

}  // namespace audit
}  // namespace prism
