using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GoHeapDump;

/// <summary>
/// The canonical JSON Lines rendering of a dump: the language-neutral form used by fixtures and by
/// third-party parsers (spec/FORMAT.md, "Canonical JSONL").
/// </summary>
/// <remarks>
/// One JSON object per line. The first line is the header, <c>{"kind":"header","version":"go1.7"}</c>;
/// then one line per record, <c>"kind"</c> first (the .ksy tag name), then the fields in wire order under
/// their .ksy ids. Integers are decimal strings (64-bit values survive any JSON parser); bools are JSON
/// booleans; byte contents are lowercase hex strings; text strings (names, files, reasons) are JSON strings
/// when they are valid UTF-8 and <c>{"hex":"…"}</c> otherwise; field lists are arrays of
/// <c>[kind name, offset]</c> pairs. A parse error is rendered as a last line
/// <c>{"kind":"error","rule":"S07","class":"truncated","offset":"123"}</c>.
/// </remarks>
public sealed class CanonicalJsonlWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Keeps non-ASCII text readable; quotes, backslashes and control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private char[] _hex = new char[256];

    /// <summary>Writes JSONL to <paramref name="output"/>.</summary>
    public CanonicalJsonlWriter(Stream output, bool leaveOpen = false)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>Renders a whole record list (header first) to a string; for tests and small dumps.</summary>
    public static string Render(HeaderVersion version, IEnumerable<HeapDumpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var stream = new MemoryStream();
        using (var writer = new CanonicalJsonlWriter(stream, leaveOpen: true))
        {
            writer.WriteHeader(version);
            foreach (var record in records)
            {
                writer.WriteRecord(record);
            }
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Renders one record as a single line without the newline.</summary>
    public static string RenderLine(HeapDumpRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new CanonicalJsonlWriter(stream, leaveOpen: true))
        {
            writer.WriteRecord(record);
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length).TrimEnd('\n');
    }

    /// <summary>The header line.</summary>
    public void WriteHeader(HeaderVersion version)
    {
        _json.WriteStartObject();
        _json.WriteString("kind", "header");
        _json.WriteString("version", HeapDumpFormat.VersionName(version));
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>The error line that ends the rendering of a rejected dump.</summary>
    public void WriteError(HeapDumpFormatException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _json.WriteStartObject();
        _json.WriteString("kind", "error");
        _json.WriteString("rule", error.Rule.Id);
        _json.WriteString("class", error.Rule.Slug);
        WriteNumber("offset", (ulong)error.Offset);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>One record line.</summary>
    public void WriteRecord(HeapDumpRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _json.WriteStartObject();
        _json.WriteString("kind", record.Kind.Name());
        switch (record)
        {
            case EofRecord:
                break;
            case ObjectRecord r:
                WriteNumber("address", r.Address);
                WriteBytes("contents", r.Contents);
                WriteFields(r.Fields);
                break;
            case OtherRootRecord r:
                WriteText("description", r.Description);
                WriteNumber("pointer", r.Pointer);
                break;
            case TypeRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("size", r.Size);
                WriteText("name", r.Name);
                _json.WriteBoolean("iface_data_is_pointer", r.IfaceDataIsPointer);
                break;
            case GoroutineRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("sp", r.Sp);
                WriteNumber("goid", r.Goid);
                WriteNumber("gopc", r.Gopc);
                WriteNumber("status", r.Status);
                _json.WriteBoolean("is_system", r.IsSystem);
                _json.WriteBoolean("is_background", r.IsBackground);
                WriteNumber("wait_since", r.WaitSince);
                WriteText("wait_reason", r.WaitReason);
                WriteNumber("ctxt", r.Ctxt);
                WriteNumber("m", r.M);
                WriteNumber("top_defer", r.TopDefer);
                WriteNumber("top_panic", r.TopPanic);
                break;
            case StackFrameRecord r:
                WriteNumber("sp", r.Sp);
                WriteNumber("depth", r.Depth);
                WriteNumber("child_sp", r.ChildSp);
                WriteBytes("contents", r.Contents);
                WriteNumber("entry_pc", r.EntryPc);
                WriteNumber("pc", r.Pc);
                WriteNumber("continuation_pc", r.ContinuationPc);
                WriteText("name", r.Name);
                WriteFields(r.Fields);
                break;
            case ParamsRecord r:
                _json.WriteBoolean("big_endian", r.BigEndian);
                WriteNumber("ptr_size", r.PtrSize);
                WriteNumber("heap_start", r.HeapStart);
                WriteNumber("heap_end", r.HeapEnd);
                if (r.Arch is { } arch)
                {
                    WriteText("arch", arch);
                }

                if (r.TheChar is { } theChar)
                {
                    WriteNumber("thechar", theChar);
                }

                WriteText("version_info", r.VersionInfo);
                WriteNumber("ncpu", r.Ncpu);
                break;
            case FinalizerRecordBase r:
                WriteNumber("object", r.Object);
                WriteNumber("funcval", r.Funcval);
                WriteNumber("entry_pc", r.EntryPc);
                WriteNumber("arg_type", r.ArgType);
                WriteNumber("object_type", r.ObjectType);
                break;
            case ItabRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("type_address", r.TypeAddress);
                break;
            case OsThreadRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("id", r.Id);
                WriteNumber("procid", r.ProcId);
                break;
            case MemStatsRecord r:
                for (var i = 0; i < MemStatsRecord.ScalarCount; i++)
                {
                    WriteNumber(MemStatsRecord.ScalarNames[i], r.Scalars[i]);
                }

                _json.WriteStartArray("pause_ns");
                foreach (var value in r.PauseNs.AsSpan())
                {
                    WriteNumberValue(value);
                }

                _json.WriteEndArray();
                WriteNumber("num_gc", r.NumGC);
                break;
            case SegmentRecordBase r:
                WriteNumber("address", r.Address);
                WriteBytes("contents", r.Contents);
                WriteFields(r.Fields);
                break;
            case DeferRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("goroutine", r.Goroutine);
                WriteNumber("sp", r.Sp);
                WriteNumber("pc", r.Pc);
                WriteNumber("funcval", r.Funcval);
                WriteNumber("entry_pc", r.EntryPc);
                WriteNumber("link", r.Link);
                break;
            case PanicRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("goroutine", r.Goroutine);
                WriteNumber("arg_type", r.ArgType);
                WriteNumber("arg_data", r.ArgData);
                WriteNumber("defer", r.Defer);
                WriteNumber("link", r.Link);
                break;
            case MemProfRecord r:
                WriteNumber("address", r.Address);
                WriteNumber("size", r.Size);
                _json.WriteStartArray("frames");
                foreach (var frame in r.Frames.AsSpan())
                {
                    _json.WriteStartObject();
                    WriteText("func_name", frame.FuncName);
                    WriteText("file", frame.File);
                    WriteNumber("line", frame.Line);
                    _json.WriteEndObject();
                }

                _json.WriteEndArray();
                WriteNumber("allocs", r.Allocs);
                WriteNumber("frees", r.Frees);
                break;
            case AllocSampleRecord r:
                WriteNumber("object", r.Object);
                WriteNumber("bucket", r.Bucket);
                break;
            default:
                throw new ArgumentException($"unknown record type {record.GetType().Name}", nameof(record));
        }

        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes buffered lines to the output.</summary>
    public void Flush()
    {
        _json.Flush();
        if (_buffer.WrittenCount > 0)
        {
            _output.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }

        _output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private void EndLine()
    {
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= 1 << 20)
        {
            _output.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    private void WriteNumber(string name, ulong value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        _json.WriteString(name, digits[..written]);
    }

    private void WriteNumberValue(ulong value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        _json.WriteStringValue(digits[..written]);
    }

    private void WriteBytes(string name, GoString value)
    {
        _json.WritePropertyName(name);
        WriteHexValue(value.Span);
    }

    private void WriteHexValue(ReadOnlySpan<byte> bytes)
    {
        var needed = bytes.Length * 2;
        if (_hex.Length < needed)
        {
            _hex = new char[Math.Max(needed, _hex.Length * 2)];
        }

        var written = 0;
        foreach (var b in bytes)
        {
            _hex[written++] = HexDigit(b >> 4);
            _hex[written++] = HexDigit(b & 0xf);
        }

        _json.WriteStringValue(_hex.AsSpan(0, written));
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private void WriteText(string name, GoString value)
    {
        if (value.IsValidUtf8)
        {
            _json.WriteString(name, value.Span);
            return;
        }

        _json.WriteStartObject(name);
        _json.WritePropertyName("hex");
        WriteHexValue(value.Span);
        _json.WriteEndObject();
    }

    private void WriteFields(EquatableArray<Field> fields)
    {
        _json.WriteStartArray("fields");
        foreach (var field in fields.AsSpan())
        {
            _json.WriteStartArray();
            _json.WriteStringValue(field.Kind.Name());
            WriteNumberValue(field.Offset);
            _json.WriteEndArray();
        }

        _json.WriteEndArray();
    }
}
