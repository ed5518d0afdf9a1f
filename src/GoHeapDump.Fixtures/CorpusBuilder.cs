using System.Globalization;
using System.IO.Compression;
using System.Text;
using GoHeapDump.Kaitai;
using GoHeapDump.Reference;
using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures;

/// <summary>Everything regeneration produces: file contents by path (relative to fixtures/, '/'-separated) and the manifest.</summary>
public sealed class BuiltCorpus
{
    internal BuiltCorpus(SortedDictionary<string, byte[]> outputs, Manifest manifest)
    {
        Outputs = outputs;
        Manifest = manifest;
    }

    /// <summary>Generated files: dumps, expected JSONL of generated fixtures, dumps built from .hex, and manifest.json.</summary>
    public IReadOnlyDictionary<string, byte[]> Outputs { get; }

    public Manifest Manifest { get; }
}

/// <summary>
/// Builds the corpus deterministically from its definitions: the described record lists and seeds in
/// <see cref="Catalog"/>, the hand-written <c>.hex</c> sources (with their hand-written <c>.jsonl</c>), and the
/// committed real dumps. Nothing here depends on the time, the machine or the order of directory listings.
/// </summary>
public static class CorpusBuilder
{
    /// <summary>The name of the manifest in the fixtures folder.</summary>
    public const string ManifestFileName = "manifest.json";

    private const string RegenCommand = "goheapdump fixtures regen";

    /// <summary>Builds every generated file, reading hand-written sources and real dumps from <paramref name="fixturesDir"/>.</summary>
    /// <exception cref="InvalidOperationException">A definition is inconsistent (a hex source without its JSONL, parsers that disagree on a seeded or real dump, …).</exception>
    public static BuiltCorpus Build(string fixturesDir)
    {
        ArgumentNullException.ThrowIfNull(fixturesDir);
        var outputs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var entries = new List<ManifestEntry>();
        foreach (var fixture in Catalog.ValidRecordFixtures.Concat(Catalog.InvalidRecordFixtures))
        {
            entries.Add(BuildRecords(fixture, outputs));
        }

        foreach (var fixture in Catalog.SeedFixtures)
        {
            entries.Add(BuildSeed(fixture, outputs));
        }

        foreach (var folder in new[] { "valid", "invalid" })
        {
            var dir = Path.Combine(fixturesDir, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var hex in Directory.GetFiles(dir, "*.hex").Order(StringComparer.Ordinal))
            {
                entries.Add(BuildHex(fixturesDir, $"{folder}/{Path.GetFileNameWithoutExtension(hex)}", outputs));
            }
        }

        entries.AddRange(BuildReal(fixturesDir));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!names.Add(e.Name))
            {
                throw new InvalidOperationException($"two fixtures are named {e.Name}");
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var manifest = new Manifest(SuiteInfo.Version, entries);
        outputs[ManifestFileName] = manifest.ToJson();
        return new BuiltCorpus(outputs, manifest);
    }

    private static ManifestEntry BuildRecords(RecordsFixture f, SortedDictionary<string, byte[]> outputs)
    {
        var bytes = RecordWriter.ToBytes(f.Version, f.Records);
        var layout = DumpLayout.Of(f.Records);
        var laidEnd = layout.Count == 0 ? HeapDumpFormat.HeaderLength : layout[^1].End;
        if (laidEnd != bytes.Length)
        {
            throw new InvalidOperationException($"{f.Name}: the layout ends at {laidEnd}, the record writer wrote {bytes.Length} bytes");
        }

        var decoded = f.Records.Count;
        ExpectedDiagnostic? parseError = null;
        if (f.Mutation is { } mutation)
        {
            (bytes, var offset) = mutation.Apply(bytes, layout);
            decoded = mutation.DecodedRecords(f.Records.Count);
            if (offset is { } at)
            {
                parseError = new ExpectedDiagnostic(f.ParseErrorRule ?? throw new InvalidOperationException($"{f.Name}: a mutation without a rule"), at);
            }
        }

        var jsonl = Render(f.Version, f.Records.Take(decoded), parseError);
        List<ExpectedDiagnostic> diagnostics = parseError is not null
            ? [parseError]
            : [.. (f.Diagnostics ?? []).Select(d => d(layout))];
        var profile = parseError is not null ? ValidationProfile.Default : f.Profile;
        var expect = new Expectation(parseError, profile, diagnostics, f.Unrealistic);
        CheckClass(f.Name, f.Class, expect);
        return Emit(f.Name, f.Class, f.Description, f.Exercises, bytes, jsonl, expect,
            new ProducedBy("records", RegenCommand, $"src/GoHeapDump.Fixtures/Catalog.{(f.Class == FixtureClass.Valid ? "Valid" : "Invalid")}.cs"),
            outputs);
    }

    private static ManifestEntry BuildSeed(SeedFixture f, SortedDictionary<string, byte[]> outputs)
    {
        var release = StateBuilder.FindRelease(f.Go) ?? throw new InvalidOperationException($"{f.Name}: Go release '{f.Go}' is not modelled");
        var bytes = HeapDumpWriter.ToBytes(StateBuilder.Build(f.Seed, f.Objects, f.Arch, release));
        var jsonl = string.Concat(RenderAgreed(f.Name, bytes).Select(line => line + "\n"));
        var expect = new Expectation(null, ValidationProfile.Strict, []);
        var command = string.Create(CultureInfo.InvariantCulture, $"goheapdump generate --seed {f.Seed} --objects {f.Objects} --arch {f.Arch} --go {f.Go} --out {f.Name}.dump");
        return Emit(f.Name, FixtureClass.Valid, f.Description, f.Exercises, bytes, jsonl, expect,
            new ProducedBy("seed", command, "src/GoHeapDump.Fixtures/Catalog.Valid.cs", f.Seed, f.Objects, f.Arch, Go: f.Go), outputs);
    }

    private static ManifestEntry BuildHex(string fixturesDir, string name, SortedDictionary<string, byte[]> outputs)
    {
        var sourcePath = name + ".hex";
        var sourceBytes = File.ReadAllBytes(Path.Combine(fixturesDir, sourcePath));
        AnnotatedHex hex;
        try
        {
            hex = AnnotatedHex.Parse(Encoding.UTF8.GetString(sourceBytes));
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{sourcePath}: {e.Message}", e);
        }

        var jsonlPath = name + ".jsonl";
        var jsonlFile = Path.Combine(fixturesDir, jsonlPath);
        if (!File.Exists(jsonlFile))
        {
            throw new InvalidOperationException($"{sourcePath} has no hand-written expectation {jsonlPath}");
        }

        var jsonl = File.ReadAllBytes(jsonlFile);
        var meta = hex.Metadata;
        string Need(string key) => meta.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new InvalidOperationException($"{sourcePath}: no '#! {key}:' line");

        var parseError = meta.TryGetValue("parse-error", out var pe) ? ParseDiagnostic(sourcePath, pe) : null;
        List<ExpectedDiagnostic> diagnostics = parseError is not null
            ? [parseError]
            : meta.TryGetValue("diagnostics", out var ds)
                ? [.. ds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => ParseDiagnostic(sourcePath, d))]
                : [];
        var profile = meta.TryGetValue("profile", out var pr) && pr == "strict" ? ValidationProfile.Strict : ValidationProfile.Default;
        var expect = new Expectation(parseError, profile, diagnostics, meta.TryGetValue("unrealistic", out var why) && why.Length > 0 ? why : null);
        var cls = name.StartsWith("valid/", StringComparison.Ordinal) ? FixtureClass.Valid : FixtureClass.Invalid;
        CheckClass(name, cls, expect);
        var dumpPath = name + ".dump";
        outputs[dumpPath] = hex.Bytes;
        var lines = JsonlText.Lines(Encoding.UTF8.GetString(jsonl));
        return new ManifestEntry(name, cls, Need("description"),
            [.. Need("exercises").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            new ManifestFile(dumpPath, JsonlText.Sha256(hex.Bytes)), false,
            new ManifestFile(sourcePath, JsonlText.Sha256(sourceBytes)),
            new ManifestFile(jsonlPath, JsonlText.Sha256(jsonl)), lines.Count, NormalizedOrThrow(jsonlPath, lines),
            expect, new ProducedBy("hex", RegenCommand, sourcePath));
    }

    private static string NormalizedOrThrow(string path, List<string> lines)
    {
        try
        {
            return JsonlText.NormalizedSha256(lines);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidOperationException($"{path}: not JSON Lines: {e.Message}", e);
        }
    }

    private static ExpectedDiagnostic ParseDiagnostic(string source, string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || ValidationRules.Find(parts[0]) is null
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new InvalidOperationException($"{source}: '{text}' is not 'RULE OFFSET' (e.g. 'S07 42')");
        }

        return new ExpectedDiagnostic(parts[0], offset);
    }

    /// <summary>Valid fixtures must parse and validate without errors; invalid ones must fail somewhere.</summary>
    private static void CheckClass(string name, FixtureClass cls, Expectation expect)
    {
        var errors = expect.Diagnostics.Count(d => expect.Profile == ValidationProfile.Strict || ValidationRules.Find(d.Rule)!.Rule.Severity == RuleSeverity.Error);
        if (cls == FixtureClass.Valid && (expect.ParseError is not null || errors > 0))
        {
            throw new InvalidOperationException($"{name}: a valid fixture expects an error ({Manifest.Summarize(expect)})");
        }

        if (cls == FixtureClass.Invalid && errors == 0)
        {
            throw new InvalidOperationException($"{name}: an invalid fixture expects no error ({Manifest.Summarize(expect)})");
        }

        // What a runtime could write passes --strict; what none writes is marked, and --strict says why with its warnings.
        if (cls == FixtureClass.Valid && expect.Unrealistic is null && (expect.Profile != ValidationProfile.Strict || expect.Diagnostics.Count > 0))
        {
            throw new InvalidOperationException($"{name}: a valid fixture that is not strict-clean must say why no runtime writes it (Unrealistic)");
        }

        if (expect.Unrealistic is not null && (cls != FixtureClass.Valid || expect.Profile != ValidationProfile.Default || expect.Diagnostics.Count == 0))
        {
            throw new InvalidOperationException($"{name}: an unrealistic fixture is valid, expects the default profile and lists the warnings --strict rejects it with");
        }
    }

    private static IEnumerable<ManifestEntry> BuildReal(string fixturesDir)
    {
        var realDir = Path.Combine(fixturesDir, "real");
        if (!Directory.Exists(realDir))
        {
            yield break;
        }

        var toolchains = ReadIndex(Path.Combine(realDir, "INDEX.tsv"));
        foreach (var dir in Directory.GetDirectories(realDir).Order(StringComparer.Ordinal))
        {
            var producer = Path.GetFileName(dir);
            foreach (var gz in Directory.GetFiles(dir, "*.dump.gz").Order(StringComparer.Ordinal))
            {
                var file = Path.GetFileName(gz);
                var probe = file[..^".dump.gz".Length];
                var name = $"real/{producer}/{probe}";
                var compressed = File.ReadAllBytes(gz);
                var bytes = Gunzip(compressed);
                var lines = RenderAgreed(name, bytes);
                toolchains.TryGetValue((producer, file), out var row);
                var parts = producer.Split('-');
                var description = string.Create(CultureInfo.InvariantCulture,
                    $"The '{probe}' probe program (fixtures/producers/go/{probe}) dumped by {row.Toolchain ?? producer}{(row.Runner is null or "native" ? "" : " under " + row.Runner)}; its ground truth is {probe}.manifest.json beside it.");
                yield return new ManifestEntry(name, FixtureClass.Real, description,
                    ["real", parts[0], parts[^1], probe],
                    new ManifestFile($"real/{producer}/{file}", JsonlText.Sha256(compressed)), true, null, null,
                    lines.Count, JsonlText.NormalizedSha256(lines),
                    new Expectation(null, ValidationProfile.Strict, []),
                    new ProducedBy("real", "fixtures/producers/go/record-real (see fixtures/real/README.md)", $"real/{producer}/{probe}.manifest.json", Toolchain: row.Toolchain));
            }
        }
    }

    private static Dictionary<(string Dir, string File), (string? Toolchain, string? Runner)> ReadIndex(string path)
    {
        var result = new Dictionary<(string, string), (string?, string?)>();
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var line in File.ReadAllLines(path).Skip(1))
        {
            var cells = line.Split('\t');
            if (cells.Length >= 8)
            {
                result[(cells[0], cells[1])] = (cells[6], cells[7]);
            }
        }

        return result;
    }

    /// <summary>Decompresses a gzip file (the real dumps are committed gzipped).</summary>
    public static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static ManifestEntry Emit(string name, FixtureClass cls, string description, IReadOnlyList<string> exercises, byte[] bytes, string jsonl,
        Expectation expect, ProducedBy producedBy, SortedDictionary<string, byte[]> outputs)
    {
        var jsonlBytes = Encoding.UTF8.GetBytes(jsonl);
        var lines = JsonlText.Lines(jsonl);
        outputs[name + ".dump"] = bytes;
        outputs[name + ".jsonl"] = jsonlBytes;
        return new ManifestEntry(name, cls, description, exercises,
            new ManifestFile(name + ".dump", JsonlText.Sha256(bytes)), false, null,
            new ManifestFile(name + ".jsonl", JsonlText.Sha256(jsonlBytes)), lines.Count, JsonlText.NormalizedSha256(lines),
            expect, producedBy);
    }

    /// <summary>The canonical JSONL of described records, then the error line when parsing must fail.</summary>
    private static string Render(HeaderVersion version, IEnumerable<HeapDumpRecord> records, ExpectedDiagnostic? error)
    {
        using var stream = new MemoryStream();
        using (var writer = new CanonicalJsonlWriter(stream, leaveOpen: true))
        {
            writer.WriteHeader(version);
            foreach (var record in records)
            {
                writer.WriteRecord(record);
            }

            if (error is not null)
            {
                var rule = StructureRules.All.Single(r => r.Id == error.Rule);
                writer.WriteError(new HeapDumpFormatException(rule, "expected", error.Offset, 0, null, null));
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The JSONL of a dump that was not described record by record (seeded, real): both parsers must accept it and
    /// agree line for line, or the expectation is not frozen.
    /// </summary>
    private static List<string> RenderAgreed(string name, byte[] bytes)
    {
        var fast = ParserOutput.Render(s => HeapDumpReader.Open(s), bytes);
        var kaitai = ParserOutput.Render(s => KaitaiHeapDumpReader.Open(s), bytes);
        if (fast.Error is not null || kaitai.Error is not null)
        {
            throw new InvalidOperationException($"{name}: a parser rejects it (fast: {fast.Error?.Message ?? "ok"}; Kaitai: {kaitai.Error?.Message ?? "ok"})");
        }

        if (JsonlText.FirstDifference(fast.Lines, kaitai.Lines) is { } difference)
        {
            throw new InvalidOperationException($"{name}: the fast reader and the Kaitai parser disagree: {difference}");
        }

        return fast.Lines;
    }
}

/// <summary>A parser's canonical JSONL of a dump, and the structure error that ended it, if any.</summary>
public sealed record ParserOutput(List<string> Lines, HeapDumpFormatException? Error)
{
    /// <summary>Runs a parser over <paramref name="bytes"/> as <c>goheapdump parse</c> does.</summary>
    public static ParserOutput Render(Func<Stream, IHeapDumpReader> open, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(open);
        using var output = new MemoryStream();
        HeapDumpFormatException? error = null;
        using (var jsonl = new CanonicalJsonlWriter(output, leaveOpen: true))
        {
            try
            {
                using var reader = open(new MemoryStream(bytes, writable: false));
                jsonl.WriteHeader(reader.Version);
                while (reader.Read() is { } record)
                {
                    jsonl.WriteRecord(record);
                }
            }
            catch (HeapDumpFormatException e)
            {
                error = e;
                jsonl.WriteError(e);
            }
        }

        return new ParserOutput(JsonlText.Lines(Encoding.UTF8.GetString(output.ToArray())), error);
    }
}
