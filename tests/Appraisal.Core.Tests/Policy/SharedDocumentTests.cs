using Appraisal.Core.Policy;

namespace Appraisal.Core.Tests.Policy;

/// <summary>
/// A policy document is shared by every request and thread that uses its version: its item list is whole from the
/// start, also when many threads read a freshly parsed document at once (a lazily cached list could be read torn,
/// which once failed the demo data's creation in a parallel test run), and a copy with other groups lists their items.
/// </summary>
public sealed class SharedDocumentTests
{
    [Fact]
    public async Task Many_threads_reading_a_fresh_document_all_see_every_item()
    {
        var expected = DefaultPolicy.Instance.Groups.Sum(g => g.Items.Length);
        for (var round = 0; round < 200; round++)
        {
            var document = PolicyJson.Parse(DefaultPolicy.Utf8Json);
            using var start = new ManualResetEventSlim();
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.Wait();
                return document.Items.IsDefault ? -1 : document.Items.Length;
            })).ToList();
            start.Set();
            Assert.All(await Task.WhenAll(readers), n => Assert.Equal(expected, n));
        }
    }

    [Fact]
    public void A_copy_with_other_groups_lists_their_items_and_the_original_keeps_its_own()
    {
        var original = DefaultPolicy.Instance;
        var copy = original with { Groups = [original.Groups[0]] };
        Assert.Equal(original.Groups[0].Items, copy.Items);
        Assert.Equal(original.Groups.SelectMany(g => g.Items), original.Items);
        Assert.Equal(original.Items, (original with { Version = "copy" }).Items);
    }
}
