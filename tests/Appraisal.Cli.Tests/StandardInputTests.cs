using System.Text;

namespace Appraisal.Cli.Tests;

/// <summary>Standard input from a pipe is spooled to a temporary file so that the fast reader can read it again.</summary>
public class StandardInputTests
{
    /// <summary>A stream that, like a pipe, cannot seek and gives at most a few bytes a read.</summary>
    private sealed class PipeLike(byte[] data, int most) : Stream
    {
        private readonly MemoryStream inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, most));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] ReadAll(Stream stream, int chunk)
    {
        var all = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    [Fact]
    public void A_pipe_is_spooled_to_a_file_that_can_seek_and_is_deleted_when_closed()
    {
        using var dir = new TempDir();
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"months\":[]} 张三 ", 200_000)));

        using (var spooled = StandardInput.Spooled(new PipeLike(data, 4096), dir.Path))
        {
            Assert.True(spooled.CanSeek);
            Assert.Single(Directory.GetFiles(dir.Path));
            Assert.Equal(data, ReadAll(spooled, 7919));
            spooled.Position = 0;
            Assert.Equal(data, ReadAll(spooled, 1 << 16));
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Without_a_writable_folder_the_pipe_is_read_as_it_is()
    {
        var pipe = new PipeLike([1, 2, 3], 1);

        var stream = StandardInput.Spooled(pipe, Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));

        Assert.Same(pipe, stream);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(64)]
    public void After_a_failed_spool_what_was_copied_the_block_in_hand_and_the_rest_come_in_order(int chunk)
    {
        var joined = new StandardInput.JoinedStream(new MemoryStream("abc"u8.ToArray()), "def"u8.ToArray(), new PipeLike("ghij"u8.ToArray(), 3));

        Assert.Equal("abcdefghij", Encoding.ASCII.GetString(ReadAll(joined, chunk)));
    }
}
