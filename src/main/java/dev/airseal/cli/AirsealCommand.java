package dev.airseal.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(
    name = "airseal",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Air-gapped supply-chain verification appliance.",
    subcommands = {
      ServeCommand.class,
      LogCommand.class,
      SignCommand.class,
      AttestCommand.class,
      SignBlobCommand.class,
      AttestBlobCommand.class,
      KeysCommand.class,
      TrustCommand.class,
      TufCommand.class,
      AdminCommand.class,
      VerifyBundleCommand.class,
      VerifyCommand.class,
      VerifyAttestationCommand.class,
      VerifyBlobCommand.class,
      VerifyBlobAttestationCommand.class,
      WebhookCommand.class,
      BundleCommand.class,
      BenchCommand.class
    })
public class AirsealCommand {}
