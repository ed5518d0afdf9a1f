using System.Globalization;

namespace GoHeapDump.Fixtures;

/// <summary>One wire field of a laid-out record: its path (<c>status</c>, <c>contents.body</c>,
/// <c>fields[1].offset</c>), where it starts in the file, and how many bytes it takes.</summary>
public sealed record LaidField(string Path, long Offset, long Length)
{
    /// <summary>The offset just past the field.</summary>
    public long End => Offset + Length;
}

/// <summary>A record's place in the file and the place of each of its fields, the tag first.</summary>
public sealed class RecordLayout
{
    private readonly Dictionary<string, LaidField> _byPath;

    internal RecordLayout(int index, RecordKind kind, IReadOnlyList<LaidField> fields)
    {
        Index = index;
        Kind = kind;
        Fields = fields;
        _byPath = fields.ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    /// <summary>0 = the first record after the header.</summary>
    public int Index { get; }

    public RecordKind Kind { get; }

    /// <summary>Every wire field in order, starting with <c>tag</c>.</summary>
    public IReadOnlyList<LaidField> Fields { get; }

    /// <summary>Offset of the record's tag.</summary>
    public long Offset => Fields[0].Offset;

    /// <summary>Offset just past the record.</summary>
    public long End => Fields[^1].End;

    /// <summary>The field at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">The record has no such field.</exception>
    public LaidField this[string path] => _byPath.TryGetValue(path, out var f)
        ? f
        : throw new KeyNotFoundException($"record #{Index} ({Kind.Name()}) has no field '{path}'; it has {string.Join(", ", _byPath.Keys)}");
}

/// <summary>
/// Where every field of a record list lands in the file, worked out from the format description
/// (spec/FORMAT.md) with its own uvarint length rule. Fixtures use it to state the offset a diagnostic or a
/// parse error must have, and to cut a dump inside a chosen field. It walks each record with
/// <see cref="RecordFields.Walk"/>, the field order the record writer and canonical JSONL use too, but measures
/// with its own length rule and shares no code with the encoders or the parsers; regeneration checks that its
/// record lengths equal the record writer's.
/// </summary>
public static class DumpLayout
{
    /// <summary>Lays out <paramref name="records"/> after a 16-byte header.</summary>
    public static IReadOnlyList<RecordLayout> Of(IReadOnlyList<HeapDumpRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var result = new List<RecordLayout>(records.Count);
        long at = HeapDumpFormat.HeaderLength;
        for (var i = 0; i < records.Count; i++)
        {
            var fields = new List<LaidField>();
            var cursor = new Cursor(fields, at);
            RecordFields.Walk(records[i], ref cursor);
            result.Add(new RecordLayout(i, records[i].Kind, fields));
            at = cursor.At;
        }

        return result;
    }

    /// <summary>Bytes a uvarint of <paramref name="value"/> takes in its shortest form: 7 bits per byte.</summary>
    public static int UvarintBytes(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>The layout-recording mode of <see cref="RecordFields.Walk"/>: each field's path, offset and length,
    /// with this file's own length rule (<see cref="UvarintBytes"/>), not the encoders'.</summary>
    private ref struct Cursor(List<LaidField> fields, long at) : IRecordFieldVisitor
    {
        private readonly List<LaidField> _fields = fields;
        private string _list = "";
        private string _item = "";

        public long At { get; private set; } = at;

        public void Tag(RecordKind kind) => Add("tag", UvarintBytes((ulong)kind));

        public void Uvarint(string name, ulong value) => Add(_item + name, UvarintBytes(value));

        public void Bool(string name, bool value) => Add(_item + name, 1);

        public void Bytes(string name, GoString value) => String(_item + name, value);

        public void Text(string name, GoString value) => String(_item + name, value);

        public void FieldList(EquatableArray<Field> fields)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                var prefix = string.Create(CultureInfo.InvariantCulture, $"fields[{i}]");
                Add(prefix + ".kind", UvarintBytes((ulong)fields[i].Kind));
                Add(prefix + ".offset", UvarintBytes(fields[i].Offset));
            }

            Add("fields.eol", 1);
        }

        public void UvarintArray(string name, EquatableArray<ulong> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                Add(string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), UvarintBytes(values[i]));
            }
        }

        public void BeginList(string countName, string name, int count)
        {
            Add(countName, UvarintBytes((ulong)count));
            _list = name;
        }

        public void BeginItem(int index) => _item = string.Create(CultureInfo.InvariantCulture, $"{_list}[{index}].");

        public void EndItem() => _item = "";

        public void EndList() => _list = "";

        private void String(string path, GoString value)
        {
            Add(path + ".len", UvarintBytes((ulong)value.Length));
            Add(path + ".body", value.Length);
        }

        private void Add(string path, long length)
        {
            _fields.Add(new LaidField(path, At, length));
            At += length;
        }
    }
}
