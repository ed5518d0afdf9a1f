using System.Globalization;
using System.Text;

namespace GoHeapDump.Kaitai.Tests;

/// <summary>
/// Writes dump bytes field by field, the way the format description lays them out, and remembers what
/// every byte is: which header part, record, field and primitive. From that it states, independently of
/// any parser, what a parser must report when the input is cut at any offset (spec/FORMAT.md "Error
/// offsets"), including the .ksy path of the attribute being read. The seq indexes passed in are the
/// positions of the fields in spec/go_heapdump.ksy, written by hand.
/// </summary>
internal sealed class DumpBuilder
{
    private const string Body = "/types/record/seq/2";

    private readonly List<byte> _bytes = [];
    private readonly List<Segment> _segments = [];
    private readonly List<HeapDumpRecord> _expected = [];
    private readonly List<int> _recordStarts = [];
    private string _recordType = "";
    private RecordKind _kind;

    private enum Part
    {
        HeaderPart,
        Tag,
        Uvarint,
        StringBody,
    }

    /// <summary>A byte range and what it is.</summary>
    private sealed record Segment(int Start, int Length, Part Part, string Path, int RecordIndex, RecordKind? Kind);

    /// <summary>What a parser must report for input cut at some offset.</summary>
    internal sealed record ExpectedCut(string Rule, long Offset, long RecordIndex, RecordKind? Kind, string? SpecPath, int RecordsBefore);

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    /// <summary>The records, as the format description says the bytes decode (built by hand with <see cref="Expect"/>).</summary>
    public IReadOnlyList<HeapDumpRecord> Expected => _expected;

    public DumpBuilder Header(string version)
    {
        // go1. | digit | " heap dump\n": the three parts the error offsets name.
        Add(Part.HeaderPart, "/types/dump_header/seq/0", "go1."u8);
        Add(Part.HeaderPart, "/types/dump_header/seq/1", [(byte)version[^1]]);
        Add(Part.HeaderPart, "/types/dump_header/seq/2", " heap dump\n"u8);
        return this;
    }

    /// <summary>Starts a record: its tag. <paramref name="ksyType"/> is the body's .ksy type, e.g. object_record.</summary>
    public DumpBuilder Record(RecordKind kind, string ksyType)
    {
        _recordStarts.Add(_bytes.Count);
        _kind = kind;
        _recordType = ksyType;
        Add(Part.Tag, "/types/record/seq/0", Encode((ulong)kind));
        return this;
    }

    /// <summary>The hand-built record the bytes since <see cref="Record"/> must decode to.</summary>
    public DumpBuilder Expect(HeapDumpRecord record)
    {
        _expected.Add(record);
        return this;
    }

    /// <summary>A uvarint field at seq index <paramref name="seq"/> of the current record type.</summary>
    public DumpBuilder U(int seq, ulong value) => UAt(FieldPath(seq), value);

    /// <summary>A uvarint field with an explicit encoding (non-minimal forms).</summary>
    public DumpBuilder URaw(int seq, params byte[] encoding)
    {
        Add(Part.Uvarint, FieldPath(seq), encoding);
        return this;
    }

    public DumpBuilder Bool(int seq, bool value) => UAt(FieldPath(seq) + " > /types/go_bool/seq/0", value ? 1UL : 0UL);

    public DumpBuilder Str(int seq, string text) => StrAt(FieldPath(seq), Encoding.UTF8.GetBytes(text));

    public DumpBuilder Bytes(int seq, byte[] body) => StrAt(FieldPath(seq), body);

    /// <summary>A field list: the entries, then the eol entry (kind 0, no offset).</summary>
    public DumpBuilder Fields(int seq, params (FieldKind Kind, ulong Offset)[] fields)
    {
        var entry = FieldPath(seq) + " > /types/field_list/seq/0";
        foreach (var (kind, offset) in fields)
        {
            UAt(entry + " > /types/field/seq/0", (ulong)kind);
            UAt(entry + " > /types/field/seq/2", offset);
        }

        return UAt(entry + " > /types/field/seq/0", 0);
    }

    /// <summary>One memory-profile frame (the mem_prof_record's frames attribute is seq 3).</summary>
    public DumpBuilder Frame(string funcName, string file, ulong line)
    {
        var frame = FieldPath(3) + " > /types/mem_prof_frame";
        StrAt(frame + "/seq/0", Encoding.UTF8.GetBytes(funcName));
        StrAt(frame + "/seq/1", Encoding.UTF8.GetBytes(file));
        return UAt(frame + "/seq/2", line);
    }

    /// <summary>
    /// What a parser must report for the input cut to its first <paramref name="length"/> bytes
    /// (spec/FORMAT.md "Error offsets"): the first missing byte decides.
    /// </summary>
    public ExpectedCut CutAt(int length)
    {
        if (length >= _bytes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "not a cut: the whole dump");
        }

        var segment = _segments.Single(s => s.Start <= length && length < s.Start + s.Length);
        var recordsBefore = segment.RecordIndex < 0 ? 0 : segment.RecordIndex;
        return segment.Part switch
        {
            // A header part is read whole: the error points at the part's start.
            Part.HeaderPart => new ExpectedCut("S07", segment.Start, -1, null, segment.Path, 0),
            // Nothing of the next record: the EOF record is missing, at the end of input.
            Part.Tag when length == segment.Start => new ExpectedCut("S08", length, segment.RecordIndex, null, null, recordsBefore),
            // Inside a uvarint: where its next byte should be, the end of input; the path names that byte, b0 to b9.
            Part.Tag or Part.Uvarint => new ExpectedCut("S07", length, segment.RecordIndex, segment.Kind,
                string.Create(CultureInfo.InvariantCulture, $"{segment.Path} > /types/uvarint/seq/{length - segment.Start}"), recordsBefore),
            // Inside a string's body: the body's first byte (the read of the body began there).
            Part.StringBody => new ExpectedCut("S07", segment.Start, segment.RecordIndex, segment.Kind, segment.Path, recordsBefore),
            _ => throw new InvalidOperationException(segment.Part.ToString()),
        };
    }

    /// <summary>Minimal Go uvarint encoding: 7 bits per byte, low bits first, high bit = more follows.</summary>
    public static byte[] Encode(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value & 0x7f | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    /// <summary>Parses hex like "67 6f 31 2e" (spaces and newlines ignored).</summary>
    public static byte[] Hex(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    private string FieldPath(int seq) =>
        string.Create(CultureInfo.InvariantCulture, $"{Body} > /types/{_recordType}/seq/{seq}");

    private DumpBuilder UAt(string path, ulong value)
    {
        Add(Part.Uvarint, path, Encode(value));
        return this;
    }

    private DumpBuilder StrAt(string path, byte[] body)
    {
        Add(Part.Uvarint, path + " > /types/go_string/seq/0", Encode((ulong)body.Length));
        if (body.Length > 0)
        {
            Add(Part.StringBody, path + " > /types/go_string/seq/1", body);
        }

        return this;
    }

    private void Add(Part part, string path, ReadOnlySpan<byte> bytes)
    {
        var inRecord = _recordStarts.Count > 0;
        _segments.Add(new Segment(_bytes.Count, bytes.Length, part, path, inRecord ? _recordStarts.Count - 1 : -1, inRecord ? _kind : null));
        _bytes.AddRange(bytes.ToArray());
    }
}
