from shopgen.cli.main import main

main()
