using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures;

/// <summary>What a fixture is for: a dump every reader must accept and render, one it must reject (or whose
/// validation must report a rule), or a dump written by a real Go runtime.</summary>
public enum FixtureClass
{
    Valid,
    Invalid,
    Real,
}

/// <summary>A diagnostic the validator must report: the rule and the file offset (spec/FORMAT.md, "Where a diagnostic points").</summary>
public sealed record ExpectedDiagnostic(string Rule, long Offset);

/// <summary>
/// What a fixture must produce. Every parser: accept (exit 0, the full canonical JSONL) or reject (exit 1, the
/// records before the error, then the error line with <see cref="ParseError"/>). The validator, under
/// <see cref="Profile"/>: exactly <see cref="Diagnostics"/> (rule and offset; warnings included).
/// <see cref="Unrealistic"/> marks a valid fixture that conforms but that no Go runtime writes (why, in one sentence):
/// <c>--strict</c> rejects it with the warnings listed; every other valid fixture is strict-clean.
/// </summary>
public sealed record Expectation(
    ExpectedDiagnostic? ParseError,
    ValidationProfile Profile,
    IReadOnlyList<ExpectedDiagnostic> Diagnostics,
    string? Unrealistic = null)
{
    /// <summary>True when parsers must accept the file.</summary>
    public bool ParserAccepts => ParseError is null;
}

/// <summary>How a generated fixture cuts or extends the bytes the record writer produced.</summary>
public abstract record Mutation
{
    /// <summary>Applies the mutation; returns the new bytes and the offset of the parse error it causes, if any.</summary>
    public abstract (byte[] Bytes, long? ErrorOffset) Apply(byte[] bytes, IReadOnlyList<RecordLayout> layout);

    /// <summary>How many of the <paramref name="count"/> described records a parser returns before the error.</summary>
    public abstract int DecodedRecords(int count);
}

/// <summary>
/// Cuts the dump inside a field of a record. Inside a string's body the error is at the body's first byte
/// (the length exceeds what remains); inside a uvarint, at the end of input (spec/FORMAT.md, "Error offsets").
/// </summary>
/// <param name="RecordIndex">Which record (0 = the first after the header).</param>
/// <param name="FieldPath">A <see cref="DumpLayout"/> path: <c>contents.body</c> or a multi-byte uvarint.</param>
public sealed record CutInside(int RecordIndex, string FieldPath) : Mutation
{
    public override (byte[] Bytes, long? ErrorOffset) Apply(byte[] bytes, IReadOnlyList<RecordLayout> layout)
    {
        var field = layout[RecordIndex][FieldPath];
        if (FieldPath.EndsWith(".body", StringComparison.Ordinal))
        {
            if (field.Length < 2)
            {
                throw new InvalidOperationException($"cut inside {FieldPath}: the body has {field.Length} bytes, need 2 to cut inside it");
            }

            return (bytes[..(int)(field.Offset + 1)], field.Offset);
        }

        if (field.Length < 2)
        {
            throw new InvalidOperationException($"cut inside {FieldPath}: a {field.Length}-byte uvarint cannot be cut inside");
        }

        var cut = field.Offset + 1;
        return (bytes[..(int)cut], cut);
    }

    public override int DecodedRecords(int count) => RecordIndex;
}

/// <summary>
/// Appends raw bytes after the records. After an EOF record that is S09 at the first appended byte, and the
/// parser does not return the EOF record (<paramref name="AfterEof"/>); after records without an EOF, a lone
/// continuation byte is a tag cut short: S07 at the end of input.
/// </summary>
public sealed record AppendBytes(byte[] Extra, bool AfterEof) : Mutation
{
    public override (byte[] Bytes, long? ErrorOffset) Apply(byte[] bytes, IReadOnlyList<RecordLayout> layout) =>
        ([.. bytes, .. Extra], AfterEof ? bytes.Length : bytes.Length + Extra.Length);

    public override int DecodedRecords(int count) => AfterEof ? count - 1 : count;
}

/// <summary>The records as written, without an EOF record: S08 at the end of input.</summary>
public sealed record EndWithoutEof : Mutation
{
    public override (byte[] Bytes, long? ErrorOffset) Apply(byte[] bytes, IReadOnlyList<RecordLayout> layout)
    {
        if (layout.Count > 0 && layout[^1].Kind == RecordKind.Eof)
        {
            throw new InvalidOperationException("EndWithoutEof: the record list ends with an EOF record");
        }

        return (bytes, bytes.Length);
    }

    public override int DecodedRecords(int count) => count;
}

/// <summary>A fixture whose bytes come from a described record list, written by the record writer.</summary>
/// <param name="Name">Path under fixtures/ without extension, e.g. <c>invalid/R06-defer-chain-broken</c>.</param>
/// <param name="Description">One sentence: what the file is and what it tests.</param>
/// <param name="Exercises">Tags: record kinds, header variants, features, rule IDs.</param>
/// <param name="Version">Header variant.</param>
/// <param name="Records">The records, in file order.</param>
/// <param name="Mutation">What is done to the written bytes, if anything.</param>
/// <param name="ParseErrorRule">With a mutation: the structure rule the parsers must report.</param>
/// <param name="Profile">The validation profile of <paramref name="Diagnostics"/>.</param>
/// <param name="Diagnostics">The validator's expected diagnostics, located on the layout (a parse error is added automatically).</param>
/// <param name="Unrealistic">Why no Go runtime writes this valid fixture (see <see cref="Expectation.Unrealistic"/>); null when one could.</param>
public sealed record RecordsFixture(
    string Name,
    string Description,
    IReadOnlyList<string> Exercises,
    HeaderVersion Version,
    IReadOnlyList<HeapDumpRecord> Records,
    Mutation? Mutation = null,
    string? ParseErrorRule = null,
    ValidationProfile Profile = ValidationProfile.Strict,
    IReadOnlyList<Func<IReadOnlyList<RecordLayout>, ExpectedDiagnostic>>? Diagnostics = null,
    string? Unrealistic = null)
{
    public FixtureClass Class => Name.StartsWith("valid/", StringComparison.Ordinal) ? FixtureClass.Valid : FixtureClass.Invalid;
}

/// <summary>A fixture written by the reference writer from a seeded runtime state of a Go release (<c>goheapdump generate --go</c>).</summary>
public sealed record SeedFixture(string Name, string Description, IReadOnlyList<string> Exercises, ulong Seed, int Objects, string Arch, string Go);
