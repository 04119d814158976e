using Microsoft.AspNetCore.Identity;

namespace Appraisal.App.People;

/// <summary>The roles of the product (D19). Values are the Identity role names.</summary>
public static class Roles
{
    public const string Agent = "Agent";
    public const string Supervisor = "Supervisor";
    public const string Hr = "Hr";
    public const string GeneralManager = "GeneralManager";
    public const string Admin = "Admin";

    public static readonly string[] All = [Agent, Supervisor, Hr, GeneralManager, Admin];

    /// <summary>HR and the general manager see everyone (D19).</summary>
    public const string SeesEveryone = Hr + "," + GeneralManager;

    public static string DisplayZh(string role) => role switch
    {
        Agent => "客服",
        Supervisor => "部门主管",
        Hr => "人力资源",
        GeneralManager => "总经理",
        Admin => "管理员",
        _ => role,
    };

    public static string DisplayEn(string role) => role switch
    {
        Agent => "Agent",
        Supervisor => "Supervisor",
        Hr => "HR",
        GeneralManager => "General manager",
        Admin => "Administrator",
        _ => role,
    };
}

/// <summary>A sign-in account; linked to the person it belongs to (the administrator has none).</summary>
public sealed class AppUser : IdentityUser
{
    public int? PersonId { get; set; }

    public Person? Person { get; set; }

    /// <summary>Preferred UI culture, zh-CN or en.</summary>
    public string? Culture { get; set; }
}

/// <summary>Something two people can edit at once: saved only if nobody saved it in between.</summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>A member of staff under the policy or taking part in the process.</summary>
public sealed class Person : IVersioned
{
    public int Id { get; set; }

    /// <summary>Employee number (工号), unique; the id in the evaluate contract.</summary>
    public required string EmployeeNo { get; set; }

    public required string Name { get; set; }

    /// <summary>One of <see cref="Roles"/>.</summary>
    public required string Role { get; set; }

    public int? TeamId { get; set; }

    public Team? Team { get; set; }

    public DateOnly HireDate { get; set; }

    public DateOnly? LeaveDate { get; set; }

    public bool Active { get; set; } = true;

    public int Version { get; set; }

    /// <summary>Agents are the staff appraised under the policy (第二条).</summary>
    public bool IsAppraised => Role == Roles.Agent;
}

/// <summary>A customer-service team with its supervisor (部门主管).</summary>
public sealed class Team : IVersioned
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public int? SupervisorId { get; set; }

    public Person? Supervisor { get; set; }

    public List<Person> Members { get; set; } = [];

    public int Version { get; set; }
}
