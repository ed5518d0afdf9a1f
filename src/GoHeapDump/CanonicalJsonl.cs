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
    private byte[] _hex = new byte[256];
    private const int MaxCachedNames = 256;
    private readonly Dictionary<string, JsonEncodedText> _names = new(ReferenceEqualityComparer.Instance);

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

    /// <summary>One record line: the fields <see cref="RecordFields.Walk"/> yields, in its order.</summary>
    public void WriteRecord(HeapDumpRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _json.WriteStartObject();
        var line = new LineVisitor(this);
        RecordFields.Walk(record, ref line);
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

    // Numbers and hex strings need no escaping: their UTF-8 is written as it is, quotes included, past the writer's
    // escaping and transcoding (which were most of `goheapdump parse`'s rendering time).
    private void WriteNumber(string name, ulong value)
    {
        _json.WritePropertyName(Name(name));
        WriteNumberValue(value);
    }

    private void WriteNumberValue(ulong value)
    {
        Span<byte> text = stackalloc byte[22];
        text[0] = (byte)'"';
        value.TryFormat(text[1..], out var written, default, CultureInfo.InvariantCulture);
        text[written + 1] = (byte)'"';
        _json.WriteRawValue(text[..(written + 2)], skipInputValidation: true);
    }

    private void WriteBytes(string name, GoString value)
    {
        _json.WritePropertyName(Name(name));
        WriteHexValue(value.Span);
    }

    private void WriteHexValue(ReadOnlySpan<byte> bytes)
    {
        var needed = (bytes.Length * 2) + 2;
        if (_hex.Length < needed)
        {
            _hex = new byte[Math.Max(needed, _hex.Length * 2)];
        }

        _hex[0] = (byte)'"';
        Convert.TryToHexStringLower(bytes, _hex.AsSpan(1), out var written);
        _hex[written + 1] = (byte)'"';
        _json.WriteRawValue(_hex.AsSpan(0, written + 2), skipInputValidation: true);
    }

    /// <summary>A property name, encoded once: the names are the few literals of <see cref="RecordFields"/>.</summary>
    private JsonEncodedText Name(string name)
    {
        if (_names.TryGetValue(name, out var encoded))
        {
            return encoded;
        }

        encoded = JsonEncodedText.Encode(name, Options.Encoder);
        if (_names.Count < MaxCachedNames)
        {
            _names[name] = encoded;
        }

        return encoded;
    }

    private void WriteText(string name, GoString value)
    {
        if (value.IsValidUtf8)
        {
            _json.WriteString(Name(name), value.Span);
            return;
        }

        _json.WriteStartObject(Name(name));
        _json.WritePropertyName("hex"u8);
        WriteHexValue(value.Span);
        _json.WriteEndObject();
    }

    private void WriteFields(EquatableArray<Field> fields)
    {
        _json.WriteStartArray("fields"u8);
        foreach (var field in fields.AsSpan())
        {
            _json.WriteStartArray();
            _json.WriteStringValue(Name(field.Kind.Name()));
            WriteNumberValue(field.Offset);
            _json.WriteEndArray();
        }

        _json.WriteEndArray();
    }

    /// <summary>The JSONL mode of <see cref="RecordFields.Walk"/> (a struct, so the walk is compiled for it).</summary>
    private readonly struct LineVisitor(CanonicalJsonlWriter writer) : IRecordFieldVisitor
    {
        public void Tag(RecordKind kind) => writer._json.WriteString("kind"u8, writer.Name(kind.Name()));

        public void Uvarint(string name, ulong value) => writer.WriteNumber(name, value);

        public void Bool(string name, bool value) => writer._json.WriteBoolean(writer.Name(name), value);

        public void Bytes(string name, GoString value) => writer.WriteBytes(name, value);

        public void Text(string name, GoString value) => writer.WriteText(name, value);

        public void FieldList(EquatableArray<Field> fields) => writer.WriteFields(fields);

        public void UvarintArray(string name, EquatableArray<ulong> values)
        {
            writer._json.WriteStartArray(writer.Name(name));
            foreach (var value in values.AsSpan())
            {
                writer.WriteNumberValue(value);
            }

            writer._json.WriteEndArray();
        }

        // The count is the array's length: JSONL has no num_frames.
        public void BeginList(string countName, string name, int count) => writer._json.WriteStartArray(writer.Name(name));

        public void BeginItem(int index) => writer._json.WriteStartObject();

        public void EndItem() => writer._json.WriteEndObject();

        public void EndList() => writer._json.WriteEndArray();
    }
}
