using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures;

/// <summary>The suite's version (semver), set once in Directory.Build.props (<c>SuiteVersion</c>).</summary>
public static class SuiteInfo
{
    /// <summary>For example <c>0.1.0</c>.</summary>
    public static string Version { get; } =
        typeof(SuiteInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SuiteVersion")?.Value
        ?? throw new InvalidOperationException("the build did not stamp SuiteVersion (Directory.Build.props)");

    /// <summary>Schema version of fixtures/manifest.json.</summary>
    public const int ManifestSchema = 1;
}

/// <summary>A file the manifest pins: path relative to fixtures/, and SHA-256 of its bytes.</summary>
public sealed record ManifestFile(string Path, string Sha256);

/// <summary>How a fixture was produced.</summary>
/// <param name="Method"><c>records</c> (a described record list through the record writer), <c>seed</c> (the
/// reference writer over a seeded state), <c>hex</c> (hand-written annotated hex), <c>real</c> (a real Go runtime).</param>
/// <param name="Command">The command that rebuilds it.</param>
/// <param name="Definition">Where it is defined (source file, or the producer's manifest for real dumps).</param>
/// <param name="Seed">The state builder's seed (seeded fixtures).</param>
/// <param name="Objects">The state builder's object count (seeded fixtures).</param>
/// <param name="Arch">GOARCH of the seeded state.</param>
/// <param name="Toolchain">The Go toolchain that wrote a real dump.</param>
/// <param name="Go">The Go release of the seeded state (<c>generate --go</c>).</param>
public sealed record ProducedBy(string Method, string Command, string Definition, ulong? Seed = null, int? Objects = null, string? Arch = null, string? Toolchain = null, string? Go = null);

/// <summary>One fixture of fixtures/manifest.json.</summary>
/// <param name="Name">Path under fixtures/ without the dump's extension, e.g. <c>invalid/S07-truncated-in-object</c>.</param>
/// <param name="Class">Valid, invalid or real.</param>
/// <param name="Description">What the file is and what it tests.</param>
/// <param name="Exercises">Tags: record kinds, variants, features, rule IDs.</param>
/// <param name="Dump">The dump (for real dumps, the committed <c>.dump.gz</c>).</param>
/// <param name="Gzip">True when <see cref="Dump"/> is gzip-compressed (parsers get the decompressed bytes).</param>
/// <param name="Source">The annotated hex the dump is built from (hand-written fixtures).</param>
/// <param name="Jsonl">The expected canonical JSONL, when committed.</param>
/// <param name="JsonlLines">Lines of the expected JSONL.</param>
/// <param name="JsonlNormalizedSha256">SHA-256 of the normalized expected JSONL (see <see cref="JsonlText.NormalizedSha256"/>).</param>
/// <param name="Expect">What parsers and the validator must report.</param>
/// <param name="ProducedBy">How the dump was made.</param>
public sealed record ManifestEntry(
    string Name,
    FixtureClass Class,
    string Description,
    IReadOnlyList<string> Exercises,
    ManifestFile Dump,
    bool Gzip,
    ManifestFile? Source,
    ManifestFile? Jsonl,
    long JsonlLines,
    string JsonlNormalizedSha256,
    Expectation Expect,
    ProducedBy ProducedBy);

/// <summary>fixtures/manifest.json: every fixture, its files' hashes, what it tests and how it was made.</summary>
public sealed record Manifest(string SuiteVersion, IReadOnlyList<ManifestEntry> Fixtures)
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The manifest as written to fixtures/manifest.json (UTF-8, 2-space indent, newline at the end).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", SuiteInfo.ManifestSchema);
            w.WriteString("suite_version", SuiteVersion);
            w.WriteString("about", "The Go heap dump conformance corpus. Per fixture: its files with SHA-256, the expected canonical JSONL (spec/FORMAT.md), whether parsers accept it or the structure error (rule, offset) they must report, the validator's exact diagnostics under a profile, what it exercises, and how it was produced. Rebuild with `goheapdump fixtures regen`; verify with `goheapdump fixtures check`.");
            w.WriteStartArray("fixtures");
            foreach (var e in Fixtures)
            {
                WriteEntry(w, e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteEntry(Utf8JsonWriter w, ManifestEntry e)
    {
        w.WriteStartObject();
        w.WriteString("name", e.Name);
        w.WriteString("class", ClassName(e.Class));
        w.WriteString("description", e.Description);
        w.WriteStartArray("exercises");
        foreach (var tag in e.Exercises)
        {
            w.WriteStringValue(tag);
        }

        w.WriteEndArray();
        WriteFile(w, "dump", e.Dump);
        if (e.Gzip)
        {
            w.WriteBoolean("gzip", true);
        }

        if (e.Source is not null)
        {
            WriteFile(w, "source", e.Source);
        }

        w.WriteStartObject("expected_jsonl");
        if (e.Jsonl is not null)
        {
            w.WriteString("path", e.Jsonl.Path);
            w.WriteString("sha256", e.Jsonl.Sha256);
        }

        w.WriteNumber("lines", e.JsonlLines);
        w.WriteString("normalized_sha256", e.JsonlNormalizedSha256);
        w.WriteEndObject();

        w.WriteString("parse", e.Expect.ParserAccepts ? "accept" : "reject");
        if (e.Expect.ParseError is { } error)
        {
            w.WriteStartObject("parse_error");
            w.WriteString("rule", error.Rule);
            w.WriteString("class", RuleSlug(error.Rule));
            w.WriteNumber("offset", error.Offset);
            w.WriteEndObject();
        }

        w.WriteStartObject("validate");
        w.WriteString("profile", e.Expect.Profile == ValidationProfile.Strict ? "strict" : "default");
        w.WriteStartArray("diagnostics");
        foreach (var d in e.Expect.Diagnostics)
        {
            w.WriteStartObject();
            w.WriteString("rule", d.Rule);
            w.WriteString("slug", RuleSlug(d.Rule));
            w.WriteNumber("offset", d.Offset);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (e.Expect.Unrealistic is { } why)
        {
            w.WriteString("unrealistic", "conforms, but no runtime writes this: " + why);
        }

        w.WriteEndObject();

        var p = e.ProducedBy;
        w.WriteStartObject("produced_by");
        w.WriteString("method", p.Method);
        w.WriteString("command", p.Command);
        w.WriteString("definition", p.Definition);
        if (p.Seed is { } seed)
        {
            w.WriteNumber("seed", seed);
        }

        if (p.Objects is { } objects)
        {
            w.WriteNumber("objects", objects);
        }

        if (p.Arch is not null)
        {
            w.WriteString("arch", p.Arch);
        }

        if (p.Toolchain is not null)
        {
            w.WriteString("toolchain", p.Toolchain);
        }

        if (p.Go is not null)
        {
            w.WriteString("go", p.Go);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteFile(Utf8JsonWriter w, string name, ManifestFile file)
    {
        w.WriteStartObject(name);
        w.WriteString("path", file.Path);
        w.WriteString("sha256", file.Sha256);
        w.WriteEndObject();
    }

    internal static string ClassName(FixtureClass c) => c switch
    {
        FixtureClass.Valid => "valid",
        FixtureClass.Invalid => "invalid",
        _ => "real",
    };

    /// <summary>The slug of a rule ID from the catalogue (<c>S07</c> → <c>truncated</c>).</summary>
    public static string RuleSlug(string id) =>
        ValidationRules.Find(id)?.Rule.Slug ?? throw new ArgumentException($"{id} is not a rule of the catalogue", nameof(id));

    /// <summary>Reads fixtures/manifest.json.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest of this schema.</exception>
    public static Manifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var schema = root.GetProperty("schema").GetInt32();
            if (schema != SuiteInfo.ManifestSchema)
            {
                throw new InvalidDataException($"manifest schema {schema}; this goheapdump reads schema {SuiteInfo.ManifestSchema}");
            }

            var entries = new List<ManifestEntry>();
            foreach (var e in root.GetProperty("fixtures").EnumerateArray())
            {
                entries.Add(ParseEntry(e));
            }

            return new Manifest(root.GetProperty("suite_version").GetString()!, entries);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"not a fixtures manifest: {ex.Message}", ex);
        }
    }

    private static ManifestEntry ParseEntry(JsonElement e)
    {
        var jsonl = e.GetProperty("expected_jsonl");
        ExpectedDiagnostic? parseError = null;
        if (e.TryGetProperty("parse_error", out var pe))
        {
            parseError = new ExpectedDiagnostic(pe.GetProperty("rule").GetString()!, pe.GetProperty("offset").GetInt64());
        }

        var validate = e.GetProperty("validate");
        var diagnostics = validate.GetProperty("diagnostics").EnumerateArray()
            .Select(d => new ExpectedDiagnostic(d.GetProperty("rule").GetString()!, d.GetProperty("offset").GetInt64()))
            .ToList();
        var profile = validate.GetProperty("profile").GetString() == "strict" ? ValidationProfile.Strict : ValidationProfile.Default;
        const string unrealisticPrefix = "conforms, but no runtime writes this: ";
        var unrealistic = validate.TryGetProperty("unrealistic", out var u) && u.GetString() is { } text
            ? text.StartsWith(unrealisticPrefix, StringComparison.Ordinal) ? text[unrealisticPrefix.Length..] : text
            : null;
        var p = e.GetProperty("produced_by");
        return new ManifestEntry(
            e.GetProperty("name").GetString()!,
            e.GetProperty("class").GetString() switch
            {
                "valid" => FixtureClass.Valid,
                "invalid" => FixtureClass.Invalid,
                "real" => FixtureClass.Real,
                var other => throw new FormatException($"unknown class {other}"),
            },
            e.GetProperty("description").GetString()!,
            [.. e.GetProperty("exercises").EnumerateArray().Select(x => x.GetString()!)],
            File(e.GetProperty("dump")),
            e.TryGetProperty("gzip", out var gz) && gz.GetBoolean(),
            e.TryGetProperty("source", out var source) ? File(source) : null,
            jsonl.TryGetProperty("path", out var jp) ? new ManifestFile(jp.GetString()!, jsonl.GetProperty("sha256").GetString()!) : null,
            jsonl.GetProperty("lines").GetInt64(),
            jsonl.GetProperty("normalized_sha256").GetString()!,
            new Expectation(parseError, profile, diagnostics, unrealistic),
            new ProducedBy(
                p.GetProperty("method").GetString()!,
                p.GetProperty("command").GetString()!,
                p.GetProperty("definition").GetString()!,
                p.TryGetProperty("seed", out var seed) ? seed.GetUInt64() : null,
                p.TryGetProperty("objects", out var objects) ? objects.GetInt32() : null,
                p.TryGetProperty("arch", out var arch) ? arch.GetString() : null,
                p.TryGetProperty("toolchain", out var tc) ? tc.GetString() : null,
                p.TryGetProperty("go", out var go) ? go.GetString() : null));
    }

    private static ManifestFile File(JsonElement e) => new(e.GetProperty("path").GetString()!, e.GetProperty("sha256").GetString()!);

    /// <summary>A one-line summary of what a fixture expects, for tables and test names.</summary>
    public static string Summarize(Expectation expect)
    {
        ArgumentNullException.ThrowIfNull(expect);
        var sb = new StringBuilder(expect.ParseError is { } pe
            ? string.Create(CultureInfo.InvariantCulture, $"reject {pe.Rule}@{pe.Offset}")
            : "accept");
        if (expect.ParseError is null && expect.Diagnostics.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; validate ({(expect.Profile == ValidationProfile.Strict ? "strict" : "default")}): ");
            sb.AppendJoin(", ", expect.Diagnostics.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Rule}@{d.Offset}")));
        }

        return sb.ToString();
    }
}
