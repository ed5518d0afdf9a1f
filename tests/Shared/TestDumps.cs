using System.IO.Compression;

namespace GoHeapDump.Testing;

/// <summary>The dumps the repository holds: the corpus's (fixtures/valid, fixtures/invalid) and the real ones (fixtures/real, gzipped).</summary>
internal static class TestDumps
{
    /// <summary>Every corpus dump, valid then invalid, in name order.</summary>
    public static IEnumerable<byte[]> Corpus() =>
        Directory.GetFiles(RepositoryRoot.Under("fixtures", "valid"), "*.dump")
            .Concat(Directory.GetFiles(RepositoryRoot.Under("fixtures", "invalid"), "*.dump"))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes);

    /// <summary>Every real dump, decompressed, in path order; asserts there are more than 20.</summary>
    public static List<byte[]> Real()
    {
        var real = Directory.GetFiles(RepositoryRoot.Under("fixtures", "real"), "*.dump.gz", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(Decompress)
            .ToList();
        Assert.True(real.Count > 20, $"only {real.Count} real dumps");
        return real;
    }

    private static byte[] Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }
}
