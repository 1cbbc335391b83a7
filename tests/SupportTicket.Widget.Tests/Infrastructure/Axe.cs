using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SupportTicket.Widget.Tests.Infrastructure;

internal static class Axe
{
    /// <summary>axe-core on the page as it is now: no serious or critical violation (WCAG 2.x A/AA and best practice).</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{state}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}
