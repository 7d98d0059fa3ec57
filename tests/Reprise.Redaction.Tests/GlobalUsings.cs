global using Reprise.Core.Model;
