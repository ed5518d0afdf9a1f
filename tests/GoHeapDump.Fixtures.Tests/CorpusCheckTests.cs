using GoHeapDump.Fixtures;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>
/// <c>goheapdump fixtures check</c> on the committed corpus, and on copies with one byte flipped in each kind of
/// file (generated dump and expectation, hand-written hex and expectation, seeded dump, real dump, manifest).
/// </summary>
public sealed class CorpusCheckTests(CorpusCheckTests.BuiltTwice built) : IClassFixture<CorpusCheckTests.BuiltTwice>
{
    /// <summary>
    /// The committed corpus's build as the test run shares it (<see cref="GoHeapDump.Testing.CorpusCache"/>, built once
    /// per run and input), and a build made afresh in this process: <see cref="Build_Twice_GivesIdenticalBytes"/>
    /// compares the two, so the build is proved deterministic and the shared one proved current in every run.
    /// </summary>
    public sealed class BuiltTwice
    {
        public BuiltCorpus First { get; } = GoHeapDump.Testing.CorpusCache.Build(Corpus.Directory);

        public BuiltCorpus Second { get; } = CorpusBuilder.Build(Corpus.Directory);
    }

    [Fact]
    public void Check_CommittedCorpus_FindsNoProblem()
    {
        var log = new StringWriter();
        var result = CorpusMaintenance.Check(Corpus.Directory, log, built.First);
        Assert.True(result.Ok, log.ToString());
        Assert.Equal(Corpus.Manifest.Fixtures.Count, result.FixturesChecked);
    }

    [Fact]
    public void Build_Twice_GivesIdenticalBytes()
    {
        Assert.Equal(built.First.Outputs.Keys, built.Second.Outputs.Keys);
        foreach (var (path, bytes) in built.First.Outputs)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(built.Second.Outputs[path]), path);
        }
    }

    // One byte flipped in each kind of file. All flips go into one copy and one check (a check regenerates the whole
    // corpus, seconds each), with a file the manifest does not list: every flipped file and the unlisted one must be
    // named by its own problem. The manifest is flipped on its own,
    // since a damaged manifest stops the check before the files are compared.
    private static readonly (string File, int Offset)[] FlippedFiles =
    [
        ("invalid/R06-defer-link-to-nowhere.dump", 100),      // described records: the dump
        ("invalid/R06-defer-link-to-nowhere.jsonl", 40),      // described records: the frozen expectation
        ("valid/seed-2-mips.dump", 5000),                     // reference writer, seeded
        ("valid/seed-1-amd64.jsonl", 7),
        ("invalid/S02-uvarint-11-bytes.hex", 0),             // hand-written source (its metadata line)
        ("valid/hand-minimal.hex", 620),                      // hand-written source (a byte of hex)
        ("invalid/S09-byte-after-eof.jsonl", 12),             // hand-written expectation
        ("real/gccgo-12.2.0-linux-amd64/empty.dump.gz", 20000), // real dump
    ];

    [Fact]
    public void Check_OneByteFlippedInEachKindOfFile_AndAnUnlistedFile_NamesEveryFile()
    {
        using var copy = new CorpusCopy();
        foreach (var (file, offset) in FlippedFiles)
        {
            Flip(copy, file, offset);
        }

        File.WriteAllBytes(Path.Combine(copy.Directory, "invalid", "S99-made-up.dump"), [1, 2, 3]);

        var log = new StringWriter();
        var result = CorpusMaintenance.Check(copy.Directory, log);

        Assert.False(result.Ok);
        Assert.Contains(result.Problems, p => p.StartsWith("invalid/S99-made-up.dump: not listed", StringComparison.Ordinal));
        var unnoticed = FlippedFiles.Where(f => !result.Problems.Any(p => p.Contains(f.File, StringComparison.Ordinal))).ToList();
        Assert.True(unnoticed.Count == 0, $"flips that went unnoticed: {string.Join(", ", unnoticed)}\n{log}");
    }

    [Fact]
    public void Check_OneByteFlippedInTheManifest_Fails()
    {
        using var copy = new CorpusCopy();
        Flip(copy, "manifest.json", 2000);

        // The build reads the catalogue, the hex sources, real/INDEX.tsv and the real dumps, never manifest.json: this
        // copy builds to exactly the committed corpus's build, which the class has made already.
        var log = new StringWriter();
        var result = CorpusMaintenance.Check(copy.Directory, log, built.First);

        Assert.False(result.Ok, $"flipping a byte of manifest.json went unnoticed:\n{log}");
        Assert.Contains(result.Problems, p => p.Contains("manifest.json", StringComparison.Ordinal));
    }

    private static void Flip(CorpusCopy copy, string file, int offset)
    {
        var path = Path.Combine(copy.Directory, file);
        var bytes = File.ReadAllBytes(path);
        offset = Math.Min(offset, bytes.Length - 1);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void Regenerate_RestoresGeneratedFiles_KeepsWhatItCannotRebuild_TouchesNoSource()
    {
        using var copy = new CorpusCopy();
        var stray = Path.Combine(copy.Directory, "valid", "obsolete.dump");
        File.WriteAllBytes(stray, [9]);
        var generated = Path.Combine(copy.Directory, "invalid", "R06-defer-link-to-nowhere.jsonl");
        var original = File.ReadAllBytes(generated);
        File.WriteAllText(generated, "garbage\n");
        File.Delete(Path.Combine(copy.Directory, "valid", "minimal.dump"));
        var hex = Path.Combine(copy.Directory, "valid", "hand-minimal.hex");
        var hexBefore = File.GetLastWriteTimeUtc(hex);
        var log = new StringWriter();

        var result = CorpusMaintenance.Regenerate(copy.Directory, log);

        Assert.Equal(original, File.ReadAllBytes(generated));
        Assert.True(File.Exists(Path.Combine(copy.Directory, "valid", "minimal.dump")));
        Assert.Equal([9], File.ReadAllBytes(stray));
        Assert.Contains("valid/obsolete.dump", result.LeftInPlace);
        Assert.Equal(hexBefore, File.GetLastWriteTimeUtc(hex));
        Assert.Equal(["invalid/R06-defer-link-to-nowhere.jsonl", "valid/minimal.dump"], result.Written.Order(StringComparer.Ordinal));
        Assert.Contains("- ", log.ToString(), StringComparison.Ordinal); // the diff of the changed expectation
        Assert.Contains("\"kind\":\"defer\"", log.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(copy.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>A temporary copy of fixtures/ (without the probe programs and parsers), deleted on dispose.</summary>
    private sealed class CorpusCopy : IDisposable
    {
        private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("corpus-copy-");

        public CorpusCopy()
        {
            Directory = Path.Combine(_root.FullName, "fixtures");
            System.IO.Directory.CreateDirectory(Directory);
            File.Copy(Path.Combine(Corpus.Directory, CorpusBuilder.ManifestFileName), Path.Combine(Directory, CorpusBuilder.ManifestFileName));
            foreach (var folder in new[] { "valid", "invalid", "real" })
            {
                foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Corpus.Directory, folder), "*", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(Directory, Path.GetRelativePath(Corpus.Directory, file));
                    System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }
            }
        }

        public string Directory { get; }

        public void Dispose() => _root.Delete(recursive: true);
    }
}
