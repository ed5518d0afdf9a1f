#!/usr/bin/env node
// Command-line front end for the pinned kaitai-struct-compiler npm package, which offers only a
// programmatic API (compile(language, parsedYaml, importer, debug)); the npm build has no CLI.
//
//   node spec/ksc.js LANGUAGE FILE.ksy OUTDIR [--debug]
//
// Writes every file the compiler returns into OUTDIR (created if missing) through a temporary name,
// then prints the written paths. --debug is the JS build's debug mode: _read() is not called from
// constructors and attribute positions are recorded (the desktop compiler's --no-auto-read --read-pos).
"use strict";

const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");
const compiler = require("kaitai-struct-compiler");

function usage(message) {
  process.stderr.write(`ksc.js: ${message}\nusage: node ksc.js LANGUAGE FILE.ksy OUTDIR [--debug]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const debug = args.includes("--debug");
const positional = args.filter((a) => a !== "--debug");
if (positional.length !== 3) usage("expected 3 arguments");
const [language, ksyPath, outDir] = positional;
if (!compiler.languages.includes(language)) usage(`unknown language ${language}; known: ${compiler.languages.join(", ")}`);

let spec;
try {
  spec = yaml.load(fs.readFileSync(ksyPath, "utf8"), { filename: ksyPath });
} catch (e) {
  process.stderr.write(`ksc.js: ${e.message}\n`);
  process.exit(1);
}

const importer = {
  importYaml(name) {
    const file = path.resolve(path.dirname(ksyPath), `${name}.ksy`);
    return Promise.resolve(yaml.load(fs.readFileSync(file, "utf8"), { filename: file }));
  },
};

compiler.compile(language, spec, importer, debug).then(
  (files) => {
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, contents] of Object.entries(files)) {
      const target = path.join(outDir, name);
      const temp = `${target}.tmp-${process.pid}`;
      fs.writeFileSync(temp, contents);
      fs.renameSync(temp, target);
      process.stdout.write(`${target}\n`);
    }
  },
  (error) => {
    // Compile errors come back as Scala.js exceptions; their toString carries the .ksy path and message.
    process.stderr.write(`ksc.js: ${ksyPath}: ${error && error.toString ? error.toString() : error}\n`);
    process.exit(1);
  },
);
