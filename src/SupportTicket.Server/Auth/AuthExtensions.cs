using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SupportTicket.Server.Auth.Revocations;
using SupportTicket.Server.Errors;
using SupportTicket.Server.Storage;

namespace SupportTicket.Server.Auth;

internal static class AuthExtensions
{
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .Validate(o => o.MaxTokenLifetimeSeconds >= 60, "Auth:MaxTokenLifetimeSeconds must be at least 60")
            .Validate(o => o.RevocationRefreshSeconds is >= 1 and <= 300, "Auth:RevocationRefreshSeconds must be between 1 and 300")
            .ValidateOnStart();
        // Resolved lazily so that configuration from any source (tests included) is seen; StartupChecks
        // resolves it at startup so a bad key still fails before the first request.
        services.AddSingleton(sp => SigningKeys.Load(
            sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            sp.GetRequiredService<IHostEnvironment>().IsDevelopment(),
            sp.GetRequiredService<DatabaseTarget>().DataDirectory));

        services.AddSingleton<TokenAcceptance>();
        services.AddSingleton<RevocationCache>();
        services.AddScoped<RevocationService>();
        services.AddHostedService<RevocationSync>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<AuthOptions>>((jwt, keys, auth) => Configure(jwt, keys, auth.Value));
        services.AddAuthorization();
        return services;
    }

    public static TokenValidationParameters ValidationParameters(SigningKeys keys, AuthOptions auth) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKeyResolver = (_, _, kid, _) => keys.Resolve(kid),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(auth.ClockSkewSeconds),
        // Issuers are checked per key after the signature (TokenAcceptance): which issuer is right depends on the key.
        ValidateIssuer = false,
        ValidateAudience = !string.IsNullOrWhiteSpace(auth.Audience),
        ValidAudiences = Split(auth.Audience),
        NameClaimType = TokenClaims.Username,
        RoleClaimType = TokenClaims.Role,
    };

    private static void Configure(JwtBearerOptions jwt, SigningKeys keys, AuthOptions auth)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = ValidationParameters(keys, auth);
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = ctx =>
            {
                // Browsers cannot set headers on WebSocket requests; SignalR sends the token in the query.
                var token = ctx.Request.Query["access_token"];
                if (!string.IsNullOrEmpty(token) && ctx.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                    ctx.Token = token;
                return Task.CompletedTask;
            },
            OnTokenValidated = ctx =>
            {
                var (principal, problem) = ctx.HttpContext.RequestServices.GetRequiredService<TokenAcceptance>().Accept(ctx.Principal!, ctx.SecurityToken);
                if (problem is not null) ctx.Fail(problem);
                else ctx.Principal = principal;
                return Task.CompletedTask;
            },
            OnChallenge = async ctx =>
            {
                ctx.HandleResponse();
                var message = TokenRules.Describe(ctx.AuthenticateFailure, hasToken: ctx.Request.Headers.Authorization.Count > 0);
                await ApiErrors.Write(ctx.HttpContext, ApiError.Unauthorized(message));
            },
            OnForbidden = ctx => ApiErrors.Write(ctx.HttpContext, ApiError.Forbidden("Your role may not do this")),
        };
    }

    internal static string[] Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
