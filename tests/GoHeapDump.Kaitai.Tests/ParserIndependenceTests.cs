using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using GoHeapDump.Kaitai;

namespace GoHeapDump.Kaitai.Tests;

/// <summary>
/// The two parsers share no parsing code (ARCHITECTURE.md): the Kaitai parser's assembly references none of the
/// fast reader's decoding types in the core, and the core (where the fast reader lives) references neither the
/// Kaitai assembly nor a copy of its runtime. They share the record model, the rule catalogue and the format's
/// constants only. Read from the compiled metadata, so a using added later is caught, not just a project reference.
/// </summary>
public sealed class ParserIndependenceTests
{
    /// <summary>The fast reader's decoding code: src/GoHeapDump/HeapDumpReader*.cs, HeapDumpRecordView.cs, Uvarint.cs.</summary>
    private static readonly string[] FastReaderTypes =
    [
        "GoHeapDump.HeapDumpReader", "GoHeapDump.HeapDumpRecordView", "GoHeapDump.FieldListSummary", "GoHeapDump.FieldView",
        "GoHeapDump.FieldListEnumerator", "GoHeapDump.MemProfFrameView", "GoHeapDump.MemProfFrameEnumerator",
        "GoHeapDump.Uvarint", "GoHeapDump.UvarintStatus",
    ];

    [Fact]
    public void KaitaiAssembly_UsesNoneOfTheFastReadersDecodingTypes()
    {
        var used = ReferencedTypes(typeof(KaitaiHeapDumpReader).Assembly.Location, "GoHeapDump.Core");
        Assert.NotEmpty(used); // it does use the record model: the check reads real metadata
        Assert.Contains("GoHeapDump.HeapDumpRecord", used);
        Assert.Empty(used.Intersect(FastReaderTypes, StringComparer.Ordinal));
    }

    [Fact]
    public void KaitaiAssembly_UsesNotTheWritingSidesFieldWalk()
    {
        // RecordFields states each record's field order for the writers, the layout and JSONL; a parser that used
        // it would read the order it is meant to check.
        string[] writingSide = ["GoHeapDump.RecordFields", "GoHeapDump.IRecordFieldVisitor", "GoHeapDump.PrimitiveEncoder"];
        Assert.All(writingSide, name => Assert.NotNull(typeof(HeapDumpReader).Assembly.GetType(name)));
        var used = ReferencedTypes(typeof(KaitaiHeapDumpReader).Assembly.Location, "GoHeapDump.Core");
        Assert.Empty(used.Intersect(writingSide, StringComparer.Ordinal));
    }

    [Fact]
    public void FastReadersTypes_AreInTheCore()
    {
        // The list above names real types: a rename must update it, or the test above checks nothing.
        var core = typeof(HeapDumpReader).Assembly;
        Assert.All(FastReaderTypes, name => Assert.NotNull(core.GetType(name)));
    }

    [Fact]
    public void CoreAssembly_ReferencesNoKaitaiCode()
    {
        var core = typeof(HeapDumpReader).Assembly;
        Assert.DoesNotContain(core.GetReferencedAssemblies(), a => a.Name == typeof(KaitaiHeapDumpReader).Assembly.GetName().Name);
        Assert.DoesNotContain(core.GetTypes(), t => t.Namespace is { } ns && (ns == "Kaitai" || ns.StartsWith("Kaitai.", StringComparison.Ordinal) || ns.StartsWith("GoHeapDump.Kaitai", StringComparison.Ordinal)));
    }

    /// <summary>Full names of the types <paramref name="path"/>'s metadata references from <paramref name="assembly"/>.</summary>
    private static HashSet<string> ReferencedTypes(string path, string assembly)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in md.TypeReferences)
        {
            var type = md.GetTypeReference(handle);
            if (type.ResolutionScope.Kind == HandleKind.AssemblyReference
                && md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) == assembly)
            {
                result.Add($"{md.GetString(type.Namespace)}.{md.GetString(type.Name)}");
            }
        }

        return result;
    }
}
