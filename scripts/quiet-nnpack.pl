#!/usr/bin/perl
# Copies stderr through unbuffered, dropping libtorch's "Could not initialize NNPACK! Reason: Unsupported hardware."
# lines. libtorch asks for NNPACK on CPU convolutions and logs that line each time on CPUs NNPACK does not support:
# thousands of lines for a tiny-model render. The launcher and the Docker image send all stderr through it. Progress bars (\r without a newline) pass at once;
# only text that starts like a libtorch warning ("[W") is held until its line is complete.
use strict;
use warnings;
$| = 1;
my $pending = '';
while (sysread(STDIN, my $chunk, 65536)) {
    $pending .= $chunk;
    while ($pending =~ s/\A([^\n]*\n)//) {
        my $line = $1;
        print $line unless $line =~ /NNPACK\.cpp:\d+\] Could not initialize NNPACK/;
    }
    if ($pending ne '' && $pending !~ /\A\[W/) {
        print $pending;
        $pending = '';
    }
}
print $pending;
