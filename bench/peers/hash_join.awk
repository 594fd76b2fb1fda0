# Peer for scripts/bench_peers.sh: the join serialmatch does, as a gawk hash join.
#
#   gawk -v mode=domains -f hash_join.awk DOMAINS.csv DUMP   # exact names, "*.P" over "<label>.P"
#   gawk -v mode=serials -f hash_join.awk SERIALS.txt DUMP   # serials in any generator notation
#
# The dump is Let's Encrypt's 2020 format ("serial <serial> <account> <hash> names: [<n1> ...] ...").
# Prints one line per finding, "<dump line>\t<key>": the inventory value as written (domains) or
# the dump's serial (serials). Run it with LC_ALL=C.

# The inventory (first file): the first comma-separated field of each row.
FNR == NR {
  n = index($0, ",")
  value = n ? substr($0, 1, n - 1) : $0
  gsub(/^[ \t\r]+|[ \t\r]+$/, "", value)
  if (value == "" || substr(value, 1, 1) == "#") next
  key = tolower(value)
  if (FNR == 1 && (key == "domain" || key == "serial")) next
  if (mode == "serials") {
    gsub(/[: ]/, "", key)
    sub(/^0x/, "", key)
    if (length(key) % 2) key = "0" key
    while (length(key) > 2 && substr(key, 1, 2) == "00") key = substr(key, 3)
    wanted[key] = 1
    next
  }
  sub(/\.$/, "", key)
  if (key in exact) next
  exact[key] = value
  dot = index(key, ".")
  if (dot > 1 && substr(key, 1, 2) != "*.") {
    parent = substr(key, dot + 1)  # "*.parent" covers it; kept as a list, not a joined string
    children[parent, ++child_count[parent]] = value
  }
  next
}

mode == "serials" {
  if ($2 in wanted) print FNR "\t" $2
  next
}

{
  hits = 0
  for (i = 6; i <= NF; i++) {
    name = $i
    if (i == 6) name = substr(name, 2)            # "[first"
    last = substr(name, length(name)) == "]"
    if (last) name = substr(name, 1, length(name) - 1)
    if (name in exact) { hit[exact[name]] = 1; hits++ }
    if (substr(name, 1, 2) == "*.") {
      parent = substr(name, 3)
      if (parent in child_count) {
        k = child_count[parent]
        for (j = 1; j <= k; j++) hit[children[parent, j]] = 1
        hits += k
      }
    }
    if (last) break
  }
  if (hits) {
    for (h in hit) print FNR "\t" h
    delete hit
  }
}
