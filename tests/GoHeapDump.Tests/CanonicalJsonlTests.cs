namespace GoHeapDump.Tests;

public class CanonicalJsonlTests
{
    [Fact]
    public void Render_Object_UsesDecimalStringsHexAndFieldPairs()
    {
        var record = new ObjectRecord(18446744073709551615, new GoString([0x00, 0xab]), new[] { Field.Ptr(0), Field.Ptr(8) });
        Assert.Equal(
            """{"kind":"object","address":"18446744073709551615","contents":"00ab","fields":[["ptr","0"],["ptr","8"]]}""",
            CanonicalJsonlWriter.RenderLine(record));
    }

    [Fact]
    public void Render_InvalidUtf8Name_FallsBackToHexObject()
    {
        var record = new TypeRecord(1, 2, new GoString([0x61, 0xff]), true);
        Assert.Equal(
            """{"kind":"type","address":"1","size":"2","name":{"hex":"61ff"},"iface_data_is_pointer":true}""",
            CanonicalJsonlWriter.RenderLine(record));
    }

    [Fact]
    public void Render_TextWithQuoteAndNonAscii_EscapesOnlyWhatJsonRequires()
    {
        var record = new OtherRootRecord("a\"b\\é\n", 7);
        Assert.Equal(
            """{"kind":"other_root","description":"a\"b\\é\n","pointer":"7"}""",
            CanonicalJsonlWriter.RenderLine(record));
    }

    [Fact]
    public void Render_ParamsWithTheChar_WritesThecharNotArch()
    {
        var record = ParamsRecord.WithTheChar(false, 8, 0xc000000000, 0xc004000000, '6', "", 4);
        Assert.Equal(
            """{"kind":"params","big_endian":false,"ptr_size":"8","heap_start":"824633720832","heap_end":"824700829696","thechar":"54","version_info":"","ncpu":"4"}""",
            CanonicalJsonlWriter.RenderLine(record));
    }

    [Fact]
    public void Render_HeaderAndEof_OneLineEach()
    {
        Assert.Equal(
            "{\"kind\":\"header\",\"version\":\"go1.5\"}\n{\"kind\":\"eof\"}\n",
            CanonicalJsonlWriter.Render(HeaderVersion.Go15, [EofRecord.Instance]));
    }

    [Fact]
    public void Render_MemStats_NamesEveryScalarThenPauseNsThenNumGc()
    {
        var scalars = Enumerable.Range(1, 24).Select(i => (ulong)i).ToArray();
        var pauses = new ulong[256];
        pauses[255] = 99;
        var line = CanonicalJsonlWriter.RenderLine(new MemStatsRecord(scalars, pauses, 5));
        Assert.StartsWith("""{"kind":"mem_stats","alloc":"1","total_alloc":"2","sys":"3","lookups":"4",""", line, StringComparison.Ordinal);
        Assert.Contains("\"pause_total_ns\":\"24\",\"pause_ns\":[\"0\",", line, StringComparison.Ordinal);
        Assert.EndsWith(""","0","99"],"num_gc":"5"}""", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_WithEqualContents_AreEqual()
    {
        var a = new StackFrameRecord(1, 0, 0, new GoString([1, 2]), 3, 4, 5, "main.f", new[] { Field.Ptr(8) });
        var b = new StackFrameRecord(1, 0, 0, new GoString([1, 2]), 3, 4, 5, "main.f", new[] { Field.Ptr(8) });
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Fields = new[] { Field.Ptr(16) } });
        Assert.NotEqual<HeapDumpRecord>(new FinalizerRecord(1, 2, 3, 4, 5), new QueuedFinalizerRecord(1, 2, 3, 4, 5));
    }

    [Fact]
    public void Names_EveryOneTheWriterEmitsUnescaped_IsALowercaseAsciiIdentifier()
    {
        // The writer copies names, record kinds and field kinds without JSON escaping: that is right only for these.
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (var kind = 0; kind <= HeapDumpFormat.MaxRecordTag; kind++)
        {
            names.Add(((RecordKind)kind).Name());
        }

        for (var kind = 0; kind <= HeapDumpFormat.MaxFieldKind; kind++)
        {
            names.Add(((FieldKind)kind).Name());
        }

        var collector = new NameCollector(names);
        var dumps = Directory.GetFiles(GoHeapDump.Testing.RepositoryRoot.Under("fixtures", "valid"), "*.dump");
        Assert.NotEmpty(dumps);
        var kinds = new HashSet<RecordKind>();
        foreach (var path in dumps)
        {
            using var reader = HeapDumpReader.Open(path);
            while (reader.Read() is { } record)
            {
                kinds.Add(record.Kind);
                RecordFields.Walk(record, ref collector);
            }
        }

        // The valid corpus holds every record kind, so every record layout's names were walked.
        Assert.Equal(HeapDumpFormat.MaxRecordTag + 1, kinds.Count);
        Assert.All(names, name => Assert.Matches("^[a-z][a-z0-9_]*$", name));
    }

    private readonly struct NameCollector(SortedSet<string> names) : IRecordFieldVisitor
    {
        public void Tag(RecordKind kind) => names.Add(kind.Name());

        public void Uvarint(string name, ulong value) => names.Add(name);

        public void Bool(string name, bool value) => names.Add(name);

        public void Bytes(string name, GoString value) => names.Add(name);

        public void Text(string name, GoString value) => names.Add(name);

        public void FieldList(EquatableArray<Field> fields) => names.Add("fields");

        public void UvarintArray(string name, EquatableArray<ulong> values) => names.Add(name);

        public void BeginList(string countName, string name, int count)
        {
            names.Add(countName);
            names.Add(name);
        }

        public void BeginItem(int index)
        {
        }

        public void EndItem()
        {
        }

        public void EndList()
        {
        }
    }
}
