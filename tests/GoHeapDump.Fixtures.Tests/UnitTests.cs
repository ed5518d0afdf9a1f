using GoHeapDump.Fixtures;

namespace GoHeapDump.Fixtures.Tests;

/// <summary>The corpus tooling's own parts, on hand-worked vectors.</summary>
public sealed class UnitTests
{
    [Fact]
    public void DumpLayout_Params_OffsetsAsAnnotatedInHandMinimalHex()
    {
        // Worked out by hand in fixtures/valid/hand-minimal.hex: tag 16, big_endian 17, ptr_size 18, heap_start 19,
        // heap_end 25, arch 31 (body 32), version_info 37 (body 38), ncpu 46, memstats 47, eof 329.
        var layout = DumpLayout.Of([ParamsRecord.WithArch(false, 8, 0xc000000000, 0xc004000000, "amd64", "go1.19.8", 4), new MemStatsRecord(new ulong[24], new ulong[256], 0), EofRecord.Instance]);
        var p = layout[0];
        Assert.Equal([16L, 17, 18, 19, 25, 31, 32, 37, 38, 46], p.Fields.Select(f => f.Offset));
        Assert.Equal(6, p["heap_start"].Length);
        Assert.Equal(47, layout[1].Offset);
        Assert.Equal(329, layout[2].Offset);
        Assert.Equal(330, layout[2].End);
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(127UL, 1)]
    [InlineData(128UL, 2)]
    [InlineData(0xc000000000UL, 6)]
    [InlineData(ulong.MaxValue, 10)]
    public void DumpLayout_UvarintBytes_SevenBitsPerByte(ulong value, int bytes) => Assert.Equal(bytes, DumpLayout.UvarintBytes(value));

    [Fact]
    public void AnnotatedHex_TokensTextRepeatsCommentsAndMetadata()
    {
        var hex = AnnotatedHex.Parse("#! description: d\n#! exercises: a, b\n0a0b 0c   # three bytes\n\"go\\n\\x80\" # text and a raw byte\n00*3\n");
        Assert.Equal([0x0a, 0x0b, 0x0c, (byte)'g', (byte)'o', (byte)'\n', 0x80, 0, 0, 0], hex.Bytes);
        Assert.Equal("d", hex.Metadata["description"]);
        Assert.Equal("a, b", hex.Metadata["exercises"]);
    }

    [Theory]
    [InlineData("0a0")]
    [InlineData("zz")]
    [InlineData("\"open")]
    [InlineData("00*x")]
    public void AnnotatedHex_Malformed_NamesTheLine(string line)
    {
        var e = Assert.Throws<FormatException>(() => AnnotatedHex.Parse("00\n" + line));
        Assert.StartsWith("line 2:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonlText_Normalize_IgnoresKeyOrderWhitespaceAndEscapes()
    {
        Assert.Equal(JsonlText.Normalize("{\"b\":\"\\u0041\",\"a\":[1, {\"d\":true,\"c\":null}]}"), JsonlText.Normalize("{ \"a\": [1,{\"c\":null,\"d\":true}], \"b\": \"A\" }"));
        Assert.NotEqual(JsonlText.Normalize("{\"a\":\"1\"}"), JsonlText.Normalize("{\"a\":1}"));
    }

    [Fact]
    public void JsonlText_NormalizedSha256_RememberedTexts_NoOtherTextGetsTheirHash()
    {
        string[] text = ["{\"kind\":\"header\",\"version\":\"go1.7\"}", "{\"kind\":\"eof\"}"];
        // The hash of the normalized lines, each with a newline, computed here without NormalizedSha256.
        var expected = JsonlText.Sha256(System.Text.Encoding.UTF8.GetBytes(string.Concat(text.Select(l => JsonlText.Normalize(l) + "\n"))));
        Assert.Equal(expected, JsonlText.NormalizedSha256(text));
        Assert.Equal(expected, JsonlText.NormalizedSha256(text)); // remembered
        Assert.Equal(expected, JsonlText.NormalizedSha256(["{\"version\":\"go1.7\", \"kind\":\"header\"}", text[1]])); // same values
        Assert.NotEqual(expected, JsonlText.NormalizedSha256(["{\"kind\":\"header\",\"version\":\"go1.8\"}", text[1]])); // one byte
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonlText.NormalizedSha256([text[0], "{\"kind\":"]));
    }

    [Fact]
    public void JsonlText_FirstDifference_NamesLineAndKind()
    {
        Assert.Null(JsonlText.FirstDifference(["{\"a\":\"1\"}"], ["{ \"a\" : \"1\" }"]));
        Assert.Equal((2, "differs"), Pair(JsonlText.FirstDifference(["{}", "{\"a\":\"1\"}"], ["{}", "{\"a\":\"2\"}"])));
        Assert.Equal((1, "not JSON"), Pair(JsonlText.FirstDifference(["{}"], ["oops"])));
        Assert.Equal((1, "not JSON"), Pair(JsonlText.FirstDifference(["oops"], ["oops"]))); // the same text, still not JSON
        Assert.Equal((2, "not JSON"), Pair(JsonlText.FirstDifference(["{}", "{} {}"], ["{}", "{} {}"])));
        Assert.Equal((1, "not JSON"), Pair(JsonlText.FirstDifference([""], [""])));
        Assert.StartsWith("missing", JsonlText.FirstDifference(["{}", "{}"], ["{}"])!.What, StringComparison.Ordinal);
        Assert.StartsWith("extra", JsonlText.FirstDifference(["{}"], ["{}", "{}"])!.What, StringComparison.Ordinal);

        static (int, string) Pair(JsonlDifference? d) => (d!.Line, d.What);
    }

    [SkippableFact]
    public void GeneratedJavaScript_MatchesAFreshCompile()
    {
        var spec = Path.Combine(Corpus.Root, "spec");
        Corpus.SkipUnlessInstalled(Directory.Exists(Path.Combine(spec, "node_modules", "kaitai-struct-compiler")), "spec/node_modules is missing (cd spec && npm ci)");
        var outDir = Directory.CreateTempSubdirectory("ksc-js-");
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(spec, "ksc.js"), "javascript", Path.Combine(spec, "go_heapdump.ksy"), outDir.FullName })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            var err = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, err);
            var committed = File.ReadAllText(Path.Combine(Corpus.Directory, "parsers", "javascript", "generated", "GoHeapdump.js"));
            Assert.True(committed == File.ReadAllText(Path.Combine(outDir.FullName, "GoHeapdump.js")),
                "fixtures/parsers/javascript/generated/GoHeapdump.js differs from a fresh compile of spec/go_heapdump.ksy: run fixtures/parsers/javascript/build");
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }
}
