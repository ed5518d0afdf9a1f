using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    // The escaping every text value gets: non-ASCII text stays readable; quotes, backslashes and control characters
    // are escaped. Text that needs none (nearly all of it) is copied as it is; the rest goes through Utf8JsonWriter.
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private const int FlushThreshold = 1 << 20;

    private readonly Stream _output;
    private readonly bool _leaveOpen;

    // The lines are written as UTF-8 straight into this buffer (no Utf8JsonWriter, no per-record strings): property
    // names are ASCII literals, numbers and hex need no escaping. A comma goes before a property or an element unless
    // the byte before it opens its object or array.
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushThreshold + (64 * 1024));
    private int _length;

    // Only for text that needs escaping.
    private readonly ArrayBufferWriter<byte> _escaped = new(256);
    private readonly Utf8JsonWriter _escaper;

    /// <summary>Writes JSONL to <paramref name="output"/>.</summary>
    public CanonicalJsonlWriter(Stream output, bool leaveOpen = false)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _leaveOpen = leaveOpen;
        _escaper = new Utf8JsonWriter(_escaped, Options);
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
        Byte((byte)'{');
        WriteAscii("kind", "header");
        WriteAscii("version", HeapDumpFormat.VersionName(version));
        EndLine();
    }

    /// <summary>The error line that ends the rendering of a rejected dump.</summary>
    public void WriteError(HeapDumpFormatException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Byte((byte)'{');
        WriteAscii("kind", "error");
        WriteAscii("rule", error.Rule.Id);
        WriteAscii("class", error.Rule.Slug);
        WriteNumber("offset", (ulong)error.Offset);
        EndLine();
    }

    /// <summary>One record line: the fields <see cref="RecordFields.Walk"/> yields, in its order.</summary>
    public void WriteRecord(HeapDumpRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is ObjectRecord o)
        {
            WriteObject(o);
            return;
        }

        Byte((byte)'{');
        var line = new LineVisitor(this);
        RecordFields.Walk(record, ref line);
        EndLine();
    }

    /// <summary>
    /// An object record's line, as <see cref="RecordFields.Walk"/> would write it, with its fixed parts as literals: most
    /// records of a dump are objects, and this is about a third less work per line than the walk's names and separators.
    /// </summary>
    private void WriteObject(ObjectRecord o)
    {
        Raw("{\"kind\":\"object\",\"address\":"u8);
        NumberValue(o.Address);
        Raw(",\"contents\":"u8);
        HexValue(o.Contents.Span);
        Raw(",\"fields\":["u8);
        FieldEntries(o.Fields);
        EndLine();
    }

    /// <summary>Bytes of lines written and not yet passed on to the output.</summary>
    internal int Buffered => _length;

    /// <summary>Writes buffered lines to the output.</summary>
    public void Flush()
    {
        WriteOut();
        _output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _escaper.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private void WriteOut()
    {
        if (_length > 0)
        {
            _output.Write(_buffer, 0, _length);
            _length = 0;
        }
    }

    private void EndLine()
    {
        Ensure(2);
        _buffer[_length++] = (byte)'}';
        _buffer[_length++] = (byte)'\n';
        if (_length >= FlushThreshold)
        {
            WriteOut();
        }
    }

    /// <summary>Room for <paramref name="count"/> more bytes: a line longer than the buffer grows it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Ensure(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Grow(count);
        }

        return _buffer.AsSpan(_length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, ((long)_length + count) * 2));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    private void Byte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    /// <summary>The separator before a property or an element: none right after <c>{</c> or <c>[</c>.</summary>
    private void Separator()
    {
        if (_length > 0 && _buffer[_length - 1] is not ((byte)'{' or (byte)'['))
        {
            Byte((byte)',');
        }
    }

    /// <summary><c>"text"</c>, for names and the fixed values (kinds, rule ids, versions): the names are the .ksy ids (lowercase ASCII identifiers, which JSON never escapes; the
    /// JSONL tests pin the rendering of every record kind), so only non-ASCII is checked.</summary>
    private void Quoted(string text)
    {
        var span = Ensure(text.Length + 2);
        span[0] = (byte)'"';
        if (System.Text.Ascii.FromUtf16(text, span[1..], out var written) != OperationStatus.Done)
        {
            throw new InvalidOperationException($"not plain ASCII (a name, or a value written unescaped): {text}");
        }

        span[written + 1] = (byte)'"';
        _length += written + 2;
    }

    private void PropertyName(string name)
    {
        Separator();
        Quoted(name);
        Byte((byte)':');
    }

    private void WriteAscii(string name, string value)
    {
        PropertyName(name);
        Quoted(value);
    }

    private void WriteNumber(string name, ulong value)
    {
        PropertyName(name);
        NumberValue(value);
    }

    /// <summary>A uvarint as a decimal string.</summary>
    private void NumberValue(ulong value)
    {
        var span = Ensure(22);
        span[0] = (byte)'"';
        value.TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
        span[written + 1] = (byte)'"';
        _length += written + 2;
    }

    private void HexValue(ReadOnlySpan<byte> bytes)
    {
        var span = Ensure((bytes.Length * 2) + 2);
        span[0] = (byte)'"';
        if (bytes.Length < 32)
        {
            // Most contents are a few words: a table beats the vectorised converter's set-up at that size.
            var pairs = MemoryMarshal.Cast<byte, ushort>(span.Slice(1, bytes.Length * 2));
            for (var i = 0; i < bytes.Length; i++)
            {
                pairs[i] = HexPairs[bytes[i]];
            }
        }
        else
        {
            Convert.TryToHexStringLower(bytes, span[1..], out _);
        }

        span[(bytes.Length * 2) + 1] = (byte)'"';
        _length += (bytes.Length * 2) + 2;
    }

    /// <summary>The start of each defined field kind's <c>[kind name, offset]</c> pair, <c>["ptr",</c>, rendered once.</summary>
    private static readonly byte[][] FieldPairOpenings = Enumerable.Range(0, HeapDumpFormat.MaxFieldKind + 1)
        .Select(k => System.Text.Encoding.ASCII.GetBytes($"[\"{((FieldKind)k).Name()}\","))
        .ToArray();

    /// <summary>A field list's <c>[kind name, offset]</c> pairs after its <c>[</c>, and its <c>]</c>.</summary>
    private void FieldEntries(EquatableArray<Field> fields)
    {
        foreach (var field in fields.AsSpan())
        {
            Separator();
            if ((uint)field.Kind < (uint)FieldPairOpenings.Length)
            {
                Raw(FieldPairOpenings[(int)field.Kind]);
            }
            else
            {
                Byte((byte)'[');
                Quoted(field.Kind.Name());
                Byte((byte)',');
            }

            NumberValue(field.Offset);
            Byte((byte)']');
        }

        Byte((byte)']');
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Ensure(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Each byte's two lowercase hex digits, as the ushort whose memory holds them in order.</summary>
    private static readonly ushort[] HexPairs = Enumerable.Range(0, 256)
        .Select(b => BitConverter.ToUInt16([(byte)"0123456789abcdef"[b >> 4], (byte)"0123456789abcdef"[b & 15]]))
        .ToArray();

    private void WriteText(string name, GoString value)
    {
        PropertyName(name);
        if (!value.IsValidUtf8)
        {
            Byte((byte)'{');
            Quoted("hex");
            Byte((byte)':');
            HexValue(value.Span);
            Byte((byte)'}');
            return;
        }

        var text = value.Span;
        if (Options.Encoder!.FindFirstCharacterToEncodeUtf8(text) < 0)
        {
            var span = Ensure(text.Length + 2);
            span[0] = (byte)'"';
            text.CopyTo(span[1..]);
            span[text.Length + 1] = (byte)'"';
            _length += text.Length + 2;
            return;
        }

        _escaper.Reset();
        _escaped.ResetWrittenCount();
        _escaper.WriteStringValue(text);
        _escaper.Flush();
        _escaped.WrittenSpan.CopyTo(Ensure(_escaped.WrittenCount));
        _length += _escaped.WrittenCount;
    }

    /// <summary>The JSONL mode of <see cref="RecordFields.Walk"/> (a struct, so the walk is compiled for it).</summary>
    private readonly struct LineVisitor(CanonicalJsonlWriter writer) : IRecordFieldVisitor
    {
        public void Tag(RecordKind kind) => writer.WriteAscii("kind", kind.Name());

        public void Uvarint(string name, ulong value) => writer.WriteNumber(name, value);

        public void Bool(string name, bool value)
        {
            writer.PropertyName(name);
            writer.Raw(value ? "true"u8 : "false"u8);
        }

        public void Bytes(string name, GoString value)
        {
            writer.PropertyName(name);
            writer.HexValue(value.Span);
        }

        public void Text(string name, GoString value) => writer.WriteText(name, value);

        public void FieldList(EquatableArray<Field> fields)
        {
            writer.PropertyName("fields");
            writer.Byte((byte)'[');
            writer.FieldEntries(fields);
        }

        public void UvarintArray(string name, EquatableArray<ulong> values)
        {
            writer.PropertyName(name);
            writer.Byte((byte)'[');
            foreach (var value in values.AsSpan())
            {
                writer.Separator();
                writer.NumberValue(value);
            }

            writer.Byte((byte)']');
        }

        // The count is the array's length: JSONL has no num_frames.
        public void BeginList(string countName, string name, int count)
        {
            writer.PropertyName(name);
            writer.Byte((byte)'[');
        }

        public void BeginItem(int index)
        {
            writer.Separator();
            writer.Byte((byte)'{');
        }

        public void EndItem() => writer.Byte((byte)'}');

        public void EndList() => writer.Byte((byte)']');
    }
}
