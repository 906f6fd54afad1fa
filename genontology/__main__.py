from genontology.cli import main

main()
