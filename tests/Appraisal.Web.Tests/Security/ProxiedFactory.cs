using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The application behind a reverse proxy on this machine (<c>ForwardedHeaders:Enabled</c>): every request comes
/// from 127.0.0.1 and names its client in X-Forwarded-For, so tests can speak from several addresses.
/// </summary>
public class ProxiedFactory : AppFactory
{
    /// <summary>Sign-in attempts an address may make a minute (<c>SignIn:PerAddressPerMinute</c>).</summary>
    protected virtual int SignInsPerMinute => 100;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:Enabled", "true");
        builder.UseSetting("SignIn:PerAddressPerMinute", SignInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, FromTheProxy>());
    }

    /// <summary>A client that the proxy says is at <paramref name="address"/>.</summary>
    public HttpClient From(string address)
    {
        var client = SignIn.Anonymous(this);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private sealed class FromTheProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, inner) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return inner(context);
            });
            next(app);
        };
    }
}
