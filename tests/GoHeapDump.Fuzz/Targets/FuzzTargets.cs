using System.Globalization;
using GoHeapDump.Kaitai;
using GoHeapDump.Testing;
using GoHeapDump.Validation;

namespace GoHeapDump.Fuzz;

/// <summary>
/// A target found a bug: the code under test did something other than accept the input or reject it with
/// the typed format error, the two parsers disagreed, or an input cost more memory than its size allows.
/// Any other exception escaping a target is a finding too (SharpFuzz reports it to AFL++ as a crash).
/// </summary>
public sealed class FuzzFindingException : Exception
{
    public FuzzFindingException()
    {
    }

    public FuzzFindingException(string message)
        : base(message)
    {
    }

    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The fuzz targets: each takes one input and returns normally when the code under test behaved (accepted
/// the input, or rejected it with <see cref="HeapDumpFormatException"/> at an offset inside the input), and
/// throws otherwise. Shared by the AFL++ harness (Program.cs), the regression replay and the mutation tests.
/// </summary>
/// <remarks>
/// Allocation budgets make "a hostile length allocates gigabytes" a finding: every target measures what its
/// thread allocated and fails when that exceeds a constant plus a multiple of the input's size (the multiple
/// covers the records a parser legitimately builds: about 400 bytes per field-list entry in the Kaitai
/// parser's object tree, an entry being at least 2 bytes in the file).
/// </remarks>
public static class FuzzTargets
{
    /// <summary>Fixed allowance: the fast reader's 1 MiB buffer, the validator's 1 MiB sort chunk, JIT-time allocations.</summary>
    public const long FixedAllowance = 8L << 20;

    /// <summary>Bytes allocated per input byte allowed to the fast reader (records, field arrays, strings, two passes).</summary>
    public const long FastPerByte = 64;

    /// <summary>Bytes allocated per input byte allowed to the Kaitai parser (its generated object tree, then records).</summary>
    public const long KaitaiPerByte = 1024;

    /// <summary>Bytes allocated per input byte allowed to the validator (object runs, references, hash sets, diagnostics).</summary>
    public const long ValidatorPerByte = 96;

    /// <summary>Target names, as the harness and run-fuzz take them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["parse-fast", "parse-kaitai", "validate", "differential", "all"];

    /// <summary>The target called <paramref name="name"/>.</summary>
    public static Action<byte[]>? Get(string name) => name switch
    {
        "parse-fast" => ParseFast,
        "parse-kaitai" => ParseKaitai,
        "validate" => Validate,
        "differential" => Differential,
        "all" => All,
        _ => null,
    };

    /// <summary>Every target on the input (the long fuzz run uses this: one corpus covers all the code).</summary>
    public static void All(byte[] input) => AllOutcome(input);

    /// <summary><see cref="All"/>, returning the outcome both parsers agreed on in the <see cref="DifferentialOutcome"/> pass.</summary>
    public static Outcome AllOutcome(byte[] input)
    {
        ParseFast(input);
        ParseKaitai(input);
        Validate(input);
        return DifferentialOutcome(input);
    }

    /// <summary>
    /// The fast reader, twice: model records from a seekable stream with the default buffer, and record views
    /// from a non-seekable stream with the smallest buffer and a tiny <see cref="HeapDumpReader.ContentsLimit"/>
    /// (every refill and contents-skipping path). Both must end alike: same records at the same offsets, same error.
    /// </summary>
    public static void ParseFast(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var budget = Budget(input, FastPerByte);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var records = FastRecords(input);
        var views = FastViews(input);
        CheckAllocation("fast reader", before, budget);
        if (records.Count != views.Count || records.Digest != views.Digest)
        {
            throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                $"fast reader: model path read {records.Count} records (digest {records.Digest:x16}), view path {views.Count} (digest {views.Digest:x16})"));
        }

        if (!SameError(records.Error, views.Error))
        {
            throw new FuzzFindingException($"fast reader: model path ends with {Describe(records.Error)}, view path with {Describe(views.Error)}");
        }
    }

    /// <summary>The Kaitai parser on a seekable stream: acceptance or the typed error inside the input.</summary>
    public static void ParseKaitai(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var budget = Budget(input, KaitaiPerByte);
        var before = GC.GetAllocatedBytesForCurrentThread();
        KaitaiRecords(input);
        CheckAllocation("Kaitai parser", before, budget);
    }

    /// <summary>
    /// The validator: never throws on input; a structure error lies inside the input and is the one the fast
    /// reader reports; every diagnostic's offset is inside the input or unknown (-1).
    /// </summary>
    public static void Validate(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var budget = Budget(input, ValidatorPerByte);
        var before = GC.GetAllocatedBytesForCurrentThread();
        ValidationReport report;
        try
        {
            report = HeapDumpValidator.Validate(new MemoryStream(input, writable: false), "fuzz",
                new ValidationOptions { Profile = ValidationProfile.Strict, ContentsLimit = 64, BufferSize = 64 });
        }
        catch (Exception e)
        {
            throw new FuzzFindingException($"validator threw {e.GetType().Name}: {e.Message}", e);
        }

        CheckAllocation("validator", before, budget);
        ValidationReport capped;
        try
        {
            // The memory cap's path: tables dropped part-way, rules skipped with a note, never an exception.
            capped = HeapDumpValidator.Validate(new MemoryStream(input, writable: false), "fuzz",
                new ValidationOptions { MaxMemory = 1024, BufferSize = 64 });
        }
        catch (Exception e)
        {
            throw new FuzzFindingException($"validator (1 KiB memory cap) threw {e.GetType().Name}: {e.Message}", e);
        }

        if (!SameError(capped.StructureError, report.StructureError))
        {
            throw new FuzzFindingException($"validator with a memory cap ends with {Describe(capped.StructureError)}, without with {Describe(report.StructureError)}");
        }

        foreach (var d in report.Diagnostics)
        {
            if (d.Offset < -1 || d.Offset > input.Length)
            {
                throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                    $"validator: {d.Rule.Id} at offset {d.Offset}, outside the {input.Length}-byte input"));
            }
        }

        var fast = FastRecords(input);
        if (!SameError(fast.Error, report.StructureError))
        {
            throw new FuzzFindingException($"validator ends with {Describe(report.StructureError)}, the fast reader with {Describe(fast.Error)}");
        }
    }

    /// <summary>The two parsers in lockstep: the same records at the same offsets, or the same error (rule, offset, record).</summary>
    public static void Differential(byte[] input) => DifferentialOutcome(input);

    /// <summary>
    /// <see cref="Differential"/>, returning what both parsers agreed on: the records read and the error that ended them
    /// (the digest is not computed). Callers that also need the Kaitai parser's outcome take it from here instead of
    /// parsing the input a third time.
    /// </summary>
    public static Outcome DifferentialOutcome(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fast = Open(() => HeapDumpReader.Open(new MemoryStream(input, writable: false)), out var fastError);
        var kaitai = Open(() => KaitaiHeapDumpReader.Open(new MemoryStream(input, writable: false)), out var kaitaiError);
        using (fast)
        using (kaitai)
        {
            if (fast is null || kaitai is null)
            {
                if (!SameError(fastError, kaitaiError))
                {
                    throw new FuzzFindingException($"header: fast reader {Describe(fastError)}, Kaitai parser {Describe(kaitaiError)}");
                }

                CheckOffset(fastError!, input.Length, "fast reader");
                return new Outcome(0, 0, kaitaiError);
            }

            if (fast.Version != kaitai.Version)
            {
                throw new FuzzFindingException($"header: fast reader reads {fast.Version}, Kaitai parser {kaitai.Version}");
            }

            for (long index = 0; ; index++)
            {
                var a = Next(fast, input.Length, "fast reader", out fastError);
                var b = Next(kaitai, input.Length, "Kaitai parser", out kaitaiError);
                if (fastError is not null || kaitaiError is not null)
                {
                    if (!SameError(fastError, kaitaiError))
                    {
                        throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                            $"record #{index}: fast reader {Describe(fastError)}, Kaitai parser {Describe(kaitaiError)}"));
                    }

                    return new Outcome(index, 0, kaitaiError);
                }

                if (!Equals(a, b))
                {
                    throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                        $"record #{index}: fast reader reads {Render(a)}, Kaitai parser {Render(b)}"));
                }

                if (fast.Position != kaitai.Position)
                {
                    throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                        $"record #{index}: fast reader ends it at {fast.Position}, Kaitai parser at {kaitai.Position}"));
                }

                if (a is null)
                {
                    return new Outcome(index, 0, null);
                }
            }
        }
    }

    /// <summary>What one pass of a parser saw: records, a digest of their kinds and offsets, and the error that ended it.</summary>
    public readonly record struct Outcome(long Count, ulong Digest, HeapDumpFormatException? Error);

    /// <summary>The fast reader's model-record path (<see cref="IHeapDumpReader.Read"/>) on a seekable stream.</summary>
    public static Outcome FastRecords(byte[] input) =>
        ModelRecords(input, s => HeapDumpReader.Open(s), "fast reader", "fast reader (model records)");

    /// <summary>The fast reader's view path on a non-seekable stream, smallest buffer, contents over 8 bytes skipped.</summary>
    public static Outcome FastViews(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var digest = new Digest();
        long count = 0;
        HeapDumpReader? reader = null;
        try
        {
            reader = HeapDumpReader.Open(new PipeStream(input, chunk: 7), leaveOpen: false, HeapDumpReader.MinimumBufferSize);
            reader.ContentsLimit = 8;
            while (reader.MoveNext())
            {
                var view = reader.Current;
                if (view.Index != count)
                {
                    throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture, $"fast reader: record #{count} has index {view.Index}"));
                }

                if (view.Offset < 0 || view.Offset + view.Length > input.Length)
                {
                    throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                        $"fast reader: record #{count} spans [{view.Offset}, {view.Offset + view.Length}), outside the {input.Length}-byte input"));
                }

                // Walk what the validator walks: fields and memprof frames.
                foreach (var field in view.Fields)
                {
                    if (field.Position < view.Offset || field.Position >= view.Offset + view.Length)
                    {
                        throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture, $"fast reader: a field of record #{count} is located at {field.Position}, outside the record"));
                    }
                }

                foreach (var _ in view.MemProfFrames)
                {
                }

                digest.Add(view.Kind, view.Offset, view.Length);
                count++;
            }

            return new Outcome(count, digest.Value, null);
        }
        catch (HeapDumpFormatException e)
        {
            CheckOffset(e, input.Length, "fast reader");
            return new Outcome(count, digest.Value, e);
        }
        catch (FuzzFindingException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw Unexpected("fast reader (record views)", e);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>The Kaitai parser over the input, to the end or the typed error.</summary>
    public static Outcome KaitaiRecords(byte[] input) =>
        ModelRecords(input, s => KaitaiHeapDumpReader.Open(s), "Kaitai parser", "Kaitai parser");

    /// <summary>A parser's model records (<see cref="IHeapDumpReader.Read"/>) over the input on a seekable stream, to the end or the typed error.</summary>
    private static Outcome ModelRecords(byte[] input, Func<Stream, IHeapDumpReader> open, string parser, string context)
    {
        ArgumentNullException.ThrowIfNull(input);
        var digest = new Digest();
        long count = 0;
        IHeapDumpReader? reader = null;
        try
        {
            reader = open(new MemoryStream(input, writable: false));
            var start = reader.Position;
            while (reader.Read() is { } record)
            {
                digest.Add(record.Kind, start, reader.Position - start);
                start = reader.Position;
                count++;
            }

            return new Outcome(count, digest.Value, null);
        }
        catch (HeapDumpFormatException e)
        {
            CheckOffset(e, input.Length, parser);
            return new Outcome(count, digest.Value, e);
        }
        catch (FuzzFindingException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw Unexpected(context, e);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    private static long Budget(byte[] input, long perByte) => FixedAllowance + (perByte * input.Length);

    private static void CheckAllocation(string what, long before, long budget)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > budget)
        {
            throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                $"{what} allocated {allocated} bytes, over the budget of {budget} for this input"));
        }
    }

    private static void CheckOffset(HeapDumpFormatException e, long length, string who)
    {
        if (e.Offset < 0 || e.Offset > length)
        {
            throw new FuzzFindingException(string.Create(CultureInfo.InvariantCulture,
                $"{who}: {e.RuleId} at offset {e.Offset}, outside the {length}-byte input: {e.Message}"), e);
        }

        if (e.Rule == StructureRules.NonMinimalUvarint || !StructureRules.All.Contains(e.Rule))
        {
            throw new FuzzFindingException($"{who}: stopped with {e.RuleId}, which is not a structure rule a parser enforces", e);
        }
    }

    private static FuzzFindingException Unexpected(string who, Exception e) =>
        new($"{who} threw {e.GetType().FullName} instead of HeapDumpFormatException: {e.Message}", e);

    private static T? Open<T>(Func<T> open, out HeapDumpFormatException? error)
        where T : class, IHeapDumpReader
    {
        error = null;
        try
        {
            return open();
        }
        catch (HeapDumpFormatException e)
        {
            error = e;
            return null;
        }
        catch (Exception e)
        {
            throw Unexpected(typeof(T).Name, e);
        }
    }

    private static HeapDumpRecord? Next(IHeapDumpReader reader, long length, string who, out HeapDumpFormatException? error)
    {
        error = null;
        try
        {
            return reader.Read();
        }
        catch (HeapDumpFormatException e)
        {
            CheckOffset(e, length, who);
            error = e;
            return null;
        }
        catch (Exception e)
        {
            throw Unexpected(who, e);
        }
    }

    /// <summary>Same rule at the same offset in the same record (both null: both accepted).</summary>
    public static bool SameError(HeapDumpFormatException? a, HeapDumpFormatException? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && a.RuleId == b.RuleId && a.Offset == b.Offset && a.RecordIndex == b.RecordIndex && a.RecordKind == b.RecordKind);

    public static string Describe(HeapDumpFormatException? e) => e is null
        ? "acceptance"
        : string.Create(CultureInfo.InvariantCulture, $"{e.RuleId} at offset {e.Offset} in record #{e.RecordIndex} ({e.RecordKind?.ToString() ?? "kind unknown"})");

    private static string Render(HeapDumpRecord? record)
    {
        if (record is null)
        {
            return "the end of the dump";
        }

        var line = CanonicalJsonlWriter.RenderLine(record);
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    /// <summary>FNV-1a over (kind, offset, length) triples: equal sequences, equal digests.</summary>
    private struct Digest
    {
        public ulong Value;

        public void Add(RecordKind kind, long offset, long length)
        {
            Mix((ulong)kind);
            Mix((ulong)offset);
            Mix((ulong)length);
        }

        private void Mix(ulong x)
        {
            if (Value == 0)
            {
                Value = 14695981039346656037UL;
            }

            for (var i = 0; i < 8; i++)
            {
                Value = (Value ^ ((x >> (i * 8)) & 0xff)) * 1099511628211UL;
            }
        }
    }
}
