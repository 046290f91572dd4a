#!/bin/sh
# Rebuilds the embedded boundary layers in data/ from the COD-AB TopoJSON files.
# Build-time only: the program never runs this and never reads SRC.
#
#   SRC=/work/shared/data/geo MAPSHAPER=/tmp/assets/node_modules/.bin/mapshaper sh internal/geo/build.sh
#
# Needs mapshaper 0.7.70 (npm, MPL-2.0) and node. See data/SOURCE.md.
set -eu
SRC=${SRC:-/work/shared/data/geo}
MAPSHAPER=${MAPSHAPER:-mapshaper}
OUT=$(cd "$(dirname "$0")" && pwd)/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/district" "$TMP/subdistrict"

rm -rf "$OUT/province.topo.json" "$OUT/district.topo.json" "$OUT/district" "$OUT/subdistrict"
mkdir -p "$OUT/district" "$OUT/subdistrict"

# Provinces, whole country.
"$MAPSHAPER" -i "$SRC/tha_adm1_provinces.topo.json" \
  -each 'code=ADM1_PCODE.slice(2), name_th=ADM1_TH, name_en=ADM1_EN' \
  -filter-fields code,name_th,name_en -rename-layers province \
  -simplify 25% weighted keep-shapes \
  -o "$OUT/province.topo.json" format=topojson quantization=20000

# Amphoe, whole country (coarser: for national maps).
"$MAPSHAPER" -i "$SRC/tha_adm2_districts.topo.json" \
  -each 'code=ADM2_PCODE.slice(2), name_th=ADM2_TH, name_en=ADM2_EN, parent=ADM1_PCODE.slice(2)' \
  -filter-fields code,name_th,name_en,parent -rename-layers district \
  -simplify 15% weighted keep-shapes \
  -o "$OUT/district.topo.json" format=topojson quantization=20000

# Amphoe, one file per province (finer: for province pages). Simplified on the
# whole country first so neighbouring files share the same borders.
"$MAPSHAPER" -i "$SRC/tha_adm2_districts.topo.json" \
  -each 'code=ADM2_PCODE.slice(2), name_th=ADM2_TH, name_en=ADM2_EN, parent=ADM1_PCODE.slice(2)' \
  -simplify 50% weighted keep-shapes \
  -split parent -filter-fields code,name_th,name_en,parent \
  -o "$TMP/district/" format=topojson quantization=10000 singles

# Tambon, one file per province.
"$MAPSHAPER" -i "$SRC/tha_adm3_tambons.topo.json" \
  -each 'code=ADM3_PCODE.slice(2), name_th=ADM3_TH, name_en=ADM3_EN, parent=ADM2_PCODE.slice(2), province=ADM1_PCODE.slice(2)' \
  -simplify 50% weighted keep-shapes \
  -split province -filter-fields code,name_th,name_en,parent \
  -o "$TMP/subdistrict/" format=topojson quantization=10000 singles

# mapshaper names each split object after its province code ("70"); rename it
# to the level so every file has one object named district or subdistrict.
node -e '
const fs = require("fs"), path = require("path");
const [tmp, out] = process.argv.slice(1);
for (const level of ["district", "subdistrict"]) {
  for (const f of fs.readdirSync(path.join(tmp, level))) {
    const t = JSON.parse(fs.readFileSync(path.join(tmp, level, f)));
    const keys = Object.keys(t.objects);
    if (keys.length !== 1) throw new Error(f + ": want one object, got " + keys);
    t.objects = { [level]: t.objects[keys[0]] };
    fs.writeFileSync(path.join(out, level, path.basename(f, ".json") + ".topo.json"), JSON.stringify(t));
  }
}' "$TMP" "$OUT"

# Five tambons carry other codes in the boundaries than in DOPA's register (same Thai name, same
# province): recode them, with their register parent, so they are drawn (see data/SOURCE.md).
recode() { # file old-code old-parent new-code new-parent
  sed -i "s/\"code\":\"$2\",\([^}]*\)\"parent\":\"$3\"/\"code\":\"$4\",\1\"parent\":\"$5\"/" "$OUT/subdistrict/$1.topo.json"
}
recode 50 502501 5025 500306 5003   # บ้านจันทร์ (Galyani Vadhana; the register files it under Mae Chaem)
recode 50 502502 5025 500309 5003   # แม่แดด
recode 50 502503 5025 500310 5003   # แจ่มหลวง
recode 38 380408 3804 380209 3802   # หนองทุ่ม (Bueng Kan)
recode 38 380409 3804 380208 3802   # โสกก่าม

# Compare the feature codes with the gazetteer (kongvut/thai-province-data, active rows).
GAZ=${GAZ:-$SRC/../gazetteer}
[ -d "$GAZ" ] || { echo "no gazetteer at $GAZ; skipping code check"; exit 0; }
node -e '
const fs = require("fs"), path = require("path");
const [out, gaz] = process.argv.slice(1);
const rows = f => fs.readFileSync(path.join(gaz, f), "utf8").trim().split(/\r?\n/).slice(1)
  .map(l => l.split(",")).filter(r => r[r.length - 1] === "");          // deleted_at empty
const amphoe = new Set(rows("districts.csv").map(r => r[0]));
const gazCodes = {
  province: new Set([...amphoe].map(c => c.slice(0, 2))),
  district: amphoe,
  subdistrict: new Set(rows("sub_districts.csv").map(r => r[0])),
};
const codesOf = f => Object.values(JSON.parse(fs.readFileSync(f)).objects)
  .flatMap(o => o.geometries.map(g => g.properties.code));
const layer = {
  province: codesOf(path.join(out, "province.topo.json")),
  district: codesOf(path.join(out, "district.topo.json")),
  subdistrict: fs.readdirSync(path.join(out, "subdistrict")).flatMap(f => codesOf(path.join(out, "subdistrict", f))),
};
for (const level of Object.keys(layer)) {
  const ours = new Set(layer[level]), theirs = gazCodes[level];
  const onlyMap = [...ours].filter(c => !theirs.has(c)).sort();
  const onlyGaz = [...theirs].filter(c => !ours.has(c)).sort();
  console.log(`${level}: ${ours.size} codes (${layer[level].length} features), gazetteer ${theirs.size}; ` +
    `map only ${onlyMap.length}: ${onlyMap.join(" ")}; gazetteer only ${onlyGaz.length}: ${onlyGaz.join(" ")}`);
}' "$OUT" "$GAZ"
